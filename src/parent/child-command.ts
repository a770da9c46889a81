import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResolvedOptions } from '../options.js';
import { isCommonJsTypeScript, resolveFrom } from '../shared/module-format.js';
import { splitLauncher, tsNodeChildEnv } from './script-in-exec-argv.js';

/** Parent flags that would break or block a child, or fight the parent for a port or a file. */
const DROPPED = /^--(inspect|debug|watch|test|prof|cpu-prof|heap-prof|heapsnapshot|diagnostic-dir|eval|print|input-type|run|experimental-test|experimental-default-type|interactive)(?:-[\w-]+)?(?:=|$)|^-(e|p|i)$/;
/** Dropped flags whose value comes as the next argument rather than after `=`. */
const TAKES_VALUE = /^(--(eval|print|input-type|inspect-port|debug-port|watch-path|test-name-pattern|test-skip-pattern|test-reporter|test-reporter-destination|test-concurrency|test-shard|test-timeout|cpu-prof-dir|cpu-prof-name|cpu-prof-interval|heap-prof-dir|heap-prof-name|heap-prof-interval|diagnostic-dir|heapsnapshot-signal|heapsnapshot-near-heap-limit|run)|-e|-p)$/;

/**
 * A parent flag that means TypeScript can already be loaded: a loader package
 * (`tsx`, `ts-node/register`, a file under `node_modules/tsx/`) or Node's own
 * type stripping. Only the package part of a path counts: a vitest flag
 * `--require /work/tsx-app/node_modules/vitest/…` is no TypeScript loader.
 */
function isTypeScriptLoaderFlag(flag: string): boolean {
  if (/^--experimental-(strip|transform)-types$/.test(flag)) return true;
  const value = flag.replace(/^--[\w-]+=/, '').replace(/^file:\/\//, '');
  // `--import 'data:text/javascript,… register("ts-node/esm", …)'`: a loader registered inline.
  if (value.startsWith('data:')) return /["'`](tsx|ts-node|@swc-node\/register|esbuild-register|jiti)(?:[\/"'`])/.test(value);
  const tail = value.split(/[\\/]node_modules[\\/]/).at(-1)!;
  return /^(tsx|ts-node|@swc-node[\\/]register|esbuild-register|jiti)(?:[\\/]|$)/.test(tail);
}

/**
 * The parent's Node flags that a child should share: loaders (`--import tsx`,
 * `--require`, `--loader`), conditions, heap and feature flags; without the
 * ones that would break or block it (`--inspect*`, `--watch`, `--test`,
 * profilers, `--eval`).
 */
export function inheritedExecArgv(parentArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let i = 0; i < parentArgv.length; i++) {
    const flag = parentArgv[i]!;
    if (DROPPED.test(flag)) {
      if (TAKES_VALUE.test(flag)) i++;
      continue;
    }
    kept.push(flag);
  }
  return kept;
}

export interface ChildCommand {
  /** What to exec: node itself, or `setpriv` wrapping node. */
  readonly execPath: string;
  /** Everything before the child entry on the command line. */
  readonly execArgv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** The options that decide the command, as one string: children with equal keys are interchangeable. */
  readonly key: string;
}

let setprivPath: string | null | undefined;

/**
 * `setpriv --pdeathsig KILL` makes the kernel kill the child the moment the
 * parent dies, even while the child is stuck in synchronous code where no
 * 'disconnect' handler can run. It's a tiny exec in front of node (util-linux,
 * present on Linux distributions); where it's missing the child relies on its
 * IPC channel closing.
 */
function findSetpriv(): string | null {
  if (setprivPath === undefined) {
    setprivPath = process.platform === 'linux' ? (['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p)) ?? null) : null;
    if (process.env.ISOLATED_CALL_NO_SETPRIV) setprivPath = null;
  }
  return setprivPath;
}

/** Builds the command that starts a child for a method with these options and this module. */
export function childCommand(options: ResolvedOptions, module: string | undefined): ChildCommand {
  const { node: flags, launcher } = splitLauncher(inheritedExecArgv());
  if (options.maxOldSpaceSize !== undefined) {
    for (let i = flags.length - 1; i >= 0; i--) if (flags[i]!.startsWith('--max-old-space-size')) flags.splice(i, 1);
    flags.push(`--max-old-space-size=${options.maxOldSpaceSize}`);
  }
  const tsLoader = module !== undefined ? typeScriptLoaderFor(module, [...flags, ...launcher]) : undefined;
  if (tsLoader) flags.push(...tsLoader);
  if (options.inspect !== false) flags.push(`--inspect=127.0.0.1:${options.inspect === true ? 0 : options.inspect}`);
  flags.push(...options.execArgv, ...launcher);

  const extraEnv = { ...tsNodeChildEnv([...flags, ...launcher]), ...options.env };
  const env = Object.keys(extraEnv).length === 0 ? process.env : { ...process.env, ...extraEnv };
  const setpriv = findSetpriv();
  const key = JSON.stringify([flags, options.env]);
  return setpriv
    ? { execPath: setpriv, execArgv: ['--pdeathsig', 'KILL', '--', process.execPath, ...flags], env, key }
    : { execPath: process.execPath, execArgv: flags, env, key };
}

/**
 * A child asked to import a `.ts` module needs a TypeScript loader. The
 * parent's is passed on with its flags; a parent without one (a vitest or
 * jest worker, which compiles TypeScript in-process) gets tsx for the child
 * when tsx can be resolved from the module or from this package. Else, for a
 * CommonJS module, a require hook that only transpiles (the parent's runner
 * has checked the types): ts-node's, or the SDK's own around the project's
 * typescript 5 (dist/typescript-hook.cjs, see child/typescript-require-hook.ts).
 */
function typeScriptLoaderFor(module: string, flags: readonly string[]): string[] | undefined {
  if (!/\.(c|m)?tsx?(\?|#|$)/.test(module) || flags.some(isTypeScriptLoaderFlag)) return undefined;
  const modulePath = module.startsWith('file:') ? fileURLToPath(module) : module;
  const tsx = resolveFrom([modulePath, fileURLToPath(import.meta.url)], 'tsx');
  if (tsx) return ['--import', pathToFileURL(tsx).href];
  if (!isCommonJsTypeScript(modulePath)) return undefined;
  const tsNode = resolveFrom([modulePath], 'ts-node/register/transpile-only');
  if (tsNode) return ['--require', tsNode];
  // The project's own typescript (ts-jest needs one): the SDK's small require hook around its transpileModule.
  const typescript = resolveFrom([modulePath], 'typescript/package.json');
  const major = typescript ? Number((JSON.parse(readFileSync(typescript, 'utf8')) as { version?: string }).version?.split('.')[0]) : NaN;
  return major < 7 ? ['--require', fileURLToPath(new URL('./typescript-hook.cjs', import.meta.url))] : undefined;
}

