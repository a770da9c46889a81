import { existsSync } from '../../shared/node-fs.js';
import type { ResolvedOptions } from '../../options/table.js';
import { CHILD_CONDITION_FLAG, WATCHDOG_FLAG } from '../../shared/child-flags.js';
import { setprivRefused, typeScriptCacheOff } from '../../shared/environment.js';
import { isSdkBundled } from '../../shared/own-url.js';
import { hasEsmPreload } from '../../shared/preload-flags.js';
import { privateFolder, tmpdirIn } from '../../shared/private-folder.js';
import { warnCacheRefused } from '../caches/cache-warning.js';
import { splitLauncher, tsNodeChildEnv } from './script-in-exec-argv.js';
import { dropTsxFlags, typeScriptLoaderFor } from './typescript-loader.js';
import { runtime } from '../../shared/runtime.js';

/**
 * Parent flags that would break or block a child, or fight the parent for a
 * port or a file: debuggers, watch mode, the test runner, profilers and
 * heap snapshots, code given on the command line, snapshots and syntax checks.
 * Matched on the flag's name with `_` read as `-` (Node accepts both).
 */
const DROPPED = new RegExp(
  '^--(?:inspect|debug|watch|test|experimental-test|prof|cpu-prof|heap-prof|heapsnapshot|diagnostic-dir|eval|print|' +
    'input-type|run|experimental-default-type|interactive|check|build-snapshot|snapshot-blob)(?:-[\\w-]+)?$|^-(?:e|p|pe|i|c)$',
);
/** Dropped flags whose value may come as the next argument rather than after `=`. */
const DROPPED_WITH_VALUE = new RegExp(
  '^--(?:eval|print|input-type|inspect-port|debug-port|watch-path|test-name-pattern|test-skip-pattern|test-reporter|' +
    'test-reporter-destination|test-concurrency|test-shard|test-timeout|test-coverage-include|test-coverage-exclude|' +
    'cpu-prof-dir|cpu-prof-name|cpu-prof-interval|heap-prof-dir|heap-prof-name|heap-prof-interval|diagnostic-dir|' +
    'heapsnapshot-signal|heapsnapshot-near-heap-limit|run|snapshot-blob|build-snapshot-config)$|^-(?:e|p|pe)$',
);
/** Kept flags whose value may come as the next argument: that value is kept as it is, never read as a flag. */
const KEPT_WITH_VALUE = /^(?:-r|-C|--require|--import|--loader|--experimental-loader|--conditions|--title|--env-file)$/;
/** A parent heap limit, replaced by the `maxOldSpaceSize` option when that is set. */
const HEAP_LIMIT = /^--max-old-space-size$/;

/**
 * The parent's Node flags that a child should share: loaders (`--import tsx`,
 * `--require`, `--loader`), conditions, heap and feature flags; without the
 * ones that would break or block it (`--inspect*`, `--watch`, `--test*`,
 * profilers, `--eval`/`-e`/`--print`/`-p` and their code). With
 * `maxOldSpaceSize`, the parent's `--max-old-space-size` gives way to it.
 * Pure: reads nothing but its arguments.
 *
 * `process.execArgv` never holds the script or its arguments, so an element
 * that doesn't start with `-` is always the value of the flag before it.
 */
export function inheritedExecArgv(parentArgv: readonly string[] = process.execArgv, maxOldSpaceSize?: number): string[] {
  const kept: string[] = [];
  for (let i = 0; i < parentArgv.length; i++) {
    const flag = parentArgv[i] ?? '';
    const name = flagName(flag);
    const next = flag.includes('=') ? undefined : parentArgv[i + 1];
    if (DROPPED.test(name)) {
      if (next !== undefined && (DROPPED_WITH_VALUE.test(name) || !next.startsWith('-'))) i++; // its value goes too
      continue;
    }
    if (maxOldSpaceSize !== undefined && HEAP_LIMIT.test(name)) continue;
    kept.push(flag);
    if (next !== undefined && KEPT_WITH_VALUE.test(name)) {
      kept.push(next);
      i++;
    }
  }
  if (maxOldSpaceSize !== undefined) kept.push(`--max-old-space-size=${maxOldSpaceSize}`);
  return kept;
}

/** A flag's name, without any `=value`, with `_` read as `-` the way Node reads it. */
function flagName(flag: string): string {
  const eq = flag.indexOf('=');
  const name = eq === -1 ? flag : flag.slice(0, eq);
  return name.startsWith('--') ? name.replace(/_/g, '-') : name;
}

/**
 * `NODE_OPTIONS` as a child should inherit it: the same flags dropped as from
 * the command line (`NODE_OPTIONS=--inspect` would make every child fight the
 * parent for port 9229). Returned unchanged, byte for byte, when nothing is
 * dropped or when it can't be parsed; otherwise the kept flags are written
 * back, quoted where needed. `withoutTsx`: tsx's flags go too (the child has
 * the SDK's own TypeScript loader instead). Pure.
 */
export function inheritedNodeOptions(nodeOptions: string, withoutTsx = false): string {
  const tokens = splitNodeOptions(nodeOptions);
  if (tokens === undefined) return nodeOptions;
  const kept = withoutTsx ? dropTsxFlags(inheritedExecArgv(tokens)) : inheritedExecArgv(tokens);
  if (kept.length === tokens.length) return nodeOptions;
  return kept.map((token) => (/^[^\s"\\]+$/.test(token) ? token : `"${token.replace(/["\\]/g, '\\$&')}"`)).join(' ');
}

/**
 * Splits `NODE_OPTIONS` the way Node does: on spaces, with double quotes
 * grouping, and backslash escaping the next character inside quotes.
 * `undefined` where Node would refuse it (an unterminated quote or escape).
 */
function splitNodeOptions(value: string): string[] | undefined {
  const tokens: string[] = [];
  let current: string | undefined;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    let c = value[i] as string;
    if (c === '\\' && quoted) {
      if (i + 1 === value.length) return undefined;
      c = value[++i] as string;
    } else if (c === ' ' && !quoted) {
      if (current !== undefined) tokens.push(current);
      current = undefined;
      continue;
    } else if (c === '"') {
      quoted = !quoted;
      continue;
    }
    current = (current ?? '') + c;
  }
  if (quoted) return undefined;
  if (current !== undefined) tokens.push(current);
  return tokens;
}

export interface ChildCommand {
  /** What to exec: node itself, or `setpriv` wrapping node. */
  readonly execPath: string;
  /** Everything before the child entry on the command line. */
  readonly execArgv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Arguments after the child entry (child-flags.ts). */
  readonly args: readonly string[];
  /** The largest message the child may send (message-size-guard.ts). */
  readonly maxMessageBytes: number;
  /**
   * The child listens for calls before Node reads its channel: its entry is
   * dist/child.cjs, evaluated in one go, and no `--import` or `--loader` runs
   * first (an ES module loads over several event-loop turns, and a message
   * read meanwhile goes to whoever listens then). Its first call can then
   * be sent before it says `ready` (child-sender.ts).
   */
  readonly listensAtOnce: boolean;
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
    // Deno's and Bun's fork() write the runtime's own command line after execPath (`deno run …`): setpriv would exec `run`.
    setprivPath =
      process.platform === 'linux' && runtime === 'node' ? (['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p)) ?? null) : null;
    if (setprivRefused()) setprivPath = null;
  }
  return setprivPath;
}

/**
 * Builds the command that starts a child for a method with these options and
 * this module (`bundled`: the SDK is inside the app's bundle).
 */
export function childCommand(options: ResolvedOptions, module: string | undefined, bundled = isSdkBundled()): ChildCommand {
  // Only node's own flags are filtered and added to: a launcher script (ts-node's bin.js) and its options stay last, as they came.
  const { node, launcher } = splitLauncher(process.execArgv);
  const parentFlags = inheritedExecArgv(node, options.maxOldSpaceSize);
  const tsLoader = module !== undefined ? typeScriptLoaderFor(module, [...parentFlags, ...launcher], options.execArgv) : undefined;
  const flags = tsLoader ? parentFlags.filter((_, i) => !tsLoader.drop.has(i)) : parentFlags;
  if (tsLoader) flags.push(...tsLoader.add);
  if (options.inspect !== false) flags.push(`--inspect=127.0.0.1:${options.inspect === true ? 0 : options.inspect}`);
  // The target's module then imports the SDK's child build, which the child has loaded already (child/build-entry.ts).
  if (!bundled) flags.push(CHILD_CONDITION_FLAG);
  flags.push(...options.execArgv, ...launcher);

  const nodeOptions = process.env.NODE_OPTIONS;
  const inherited = nodeOptions === undefined ? undefined : inheritedNodeOptions(nodeOptions, tsLoader?.replacesTsx);
  const parentEnv = inherited === nodeOptions ? process.env : { ...process.env, NODE_OPTIONS: inherited };
  const extraEnv = { ...tsNodeChildEnv([...flags, ...launcher]), ...tsLoader?.env, ...options.env };
  const env = Object.keys(extraEnv).length === 0 ? parentEnv : { ...parentEnv, ...extraEnv };
  if (tsLoader?.add.some(isOwnCompiler)) checkTypeScriptCacheFolder(env);
  const setpriv = findSetpriv();
  const { maxMessageBytes } = options;
  const key = JSON.stringify([flags, extraEnv, maxMessageBytes]);
  const listensAtOnce = !bundled && !hasEsmPreload(flags, env.NODE_OPTIONS);
  // Without setpriv nothing kills a child stuck in synchronous code when the parent dies: it watches itself.
  return setpriv
    ? {
        execPath: setpriv,
        execArgv: ['--pdeathsig', 'KILL', '--', process.execPath, ...flags],
        env,
        args: [],
        maxMessageBytes,
        listensAtOnce,
        key,
      }
    : { execPath: process.execPath, execArgv: flags, env, args: [WATCHDOG_FLAG], maxMessageBytes, listensAtOnce, key };
}

/** The SDK's own TypeScript loader or require hook: its children share the transform cache (child/ts-loader/transform-cache.ts). */
function isOwnCompiler(flag: string): boolean {
  return /[\\/](?:ts-loader|typescript-hook)\.cjs$/.test(flag);
}

/** Warns (once) when the children's TypeScript cache folder is not safely this user's: they would compile every file each time. */
function checkTypeScriptCacheFolder(env: NodeJS.ProcessEnv): void {
  if (typeScriptCacheOff(env) || typeof process.getuid !== 'function') return;
  const path = `${tmpdirIn(env)}/isolated-call-ts-${process.getuid()}`;
  privateFolder(path, (why) => warnCacheRefused('TypeScript cache', path, why));
}
