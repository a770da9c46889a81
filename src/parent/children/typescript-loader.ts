import { existsSync, readFileSync } from '../../shared/node-fs.js';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESBUILD_ENV, tsxLoaderWanted } from '../../shared/environment.js';
import { isCommonJsTypeScript, resolveFrom } from '../../shared/module-format.js';
import { ownFile, ownUrl } from '../../shared/sdk-location.js';

/** What a child needs to import a TypeScript module: flags to add or drop, and variables for its environment. */
export interface TypeScriptLoader {
  /** Flags to put before the child entry. */
  readonly add: readonly string[];
  /** Indexes of inherited flags to leave out (the parent's tsx, replaced by `add`). */
  readonly drop: ReadonlySet<number>;
  readonly env: Readonly<Record<string, string>>;
  /** The SDK's own loader, in place of tsx: tsx's flags in NODE_OPTIONS go too. */
  readonly replacesTsx: boolean;
}

const NONE: TypeScriptLoader = { add: [], drop: new Set(), env: {}, replacesTsx: false };
const TYPESCRIPT_MODULE = /\.(c|m)?tsx?(\?|#|$)/;

/**
 * A parent flag that means TypeScript can already be loaded: a loader package
 * (`tsx`, `ts-node/register`, a file under `node_modules/tsx/`) or Node's own
 * type stripping. Only the package part of a path counts: a vitest flag
 * `--require /work/tsx-app/node_modules/vitest/…` is no TypeScript loader.
 */
export function isTypeScriptLoaderFlag(flag: string): boolean {
  if (/^--experimental-(strip|transform)-types$/.test(flag)) return true;
  const value = flag.replace(/^--[\w-]+=/, '').replace(/^file:\/\//, '');
  // `--import 'data:text/javascript,… register("ts-node/esm", …)'`: a loader registered inline.
  if (value.startsWith('data:')) return /["'`](tsx|ts-node|@swc-node\/register|esbuild-register|jiti)(?:[/"'`])/.test(value);
  return /^(tsx|ts-node|@swc-node[\\/]register|esbuild-register|jiti)(?:[\\/]|$)/.test(packagePart(value));
}

/** tsx's own flags: `--import tsx`, `--require tsx/cjs`, and the two the tsx CLI adds (its preflight.cjs and loader.mjs). */
function isTsxFlag(flag: string): boolean {
  return /^tsx(?:[\\/]|$)/.test(packagePart(flag.replace(/^--[\w-]+=/, '').replace(/^file:\/\//, '')));
}

function packagePart(value: string): string {
  return value.split(/[\\/]node_modules[\\/]/).at(-1) ?? value;
}

/**
 * The loader a child gets for a `.ts` module, one per setup a user has:
 * - the SDK's esbuild loader (dist/ts-loader.cjs) under tsx and in a vitest
 *   worker, wherever esbuild 0.21 or later resolves: it compiles only
 *   TypeScript files, where tsx's hooks see every module the child loads;
 * - the parent's own loader flags where it has another loader (ts-node, …),
 *   the `execArgv` option names one, a tsconfig has `paths` (only tsx
 *   resolves those) or `ISOLATED_CALL_TS_LOADER=tsx` (then tsx even for a
 *   parent without a loader);
 * - for a CommonJS module with none of these (jest + ts-jest), a require hook
 *   around the project's typescript (child/typescript-require-hook.ts).
 *
 * `inherited` are the parent's flags the child keeps; `given` the `execArgv` option.
 */
export function typeScriptLoaderFor(module: string, inherited: readonly string[], given: readonly string[]): TypeScriptLoader {
  if (!TYPESCRIPT_MODULE.test(module) || given.some(isTypeScriptLoaderFlag)) return NONE;
  const modulePath = module.startsWith('file:') ? fileURLToPath(module) : module;
  const tsxAt = inherited.flatMap((flag, i) => (isTsxFlag(flag) ? [i, ...valueBefore(inherited, i)] : []));
  const otherLoader = inherited.some((flag, i) => isTypeScriptLoaderFlag(flag) && !tsxAt.includes(i));
  if (!otherLoader && !tsxLoaderWanted() && !usesTsconfigPaths(modulePath)) {
    const esbuild = findEsbuild(modulePath);
    if (esbuild) {
      return {
        add: ['--require', fileURLToPath(new URL('./ts-loader.cjs', ownUrl))],
        drop: new Set(tsxAt),
        env: { [ESBUILD_ENV]: esbuild },
        replacesTsx: true,
      };
    }
  }
  if (inherited.some(isTypeScriptLoaderFlag)) return NONE;
  return { add: fallbackLoader(modulePath), drop: new Set(), env: {}, replacesTsx: false };
}

/** The flags without tsx's (`--import tsx` as one or two flags). Pure. */
export function dropTsxFlags(flags: readonly string[]): string[] {
  const drop = new Set(flags.flatMap((flag, i) => (isTsxFlag(flag) ? [i, ...valueBefore(flags, i)] : [])));
  return flags.filter((_, i) => !drop.has(i));
}

/** `--import tsx` as two flags: the index of `--import` too. */
function valueBefore(flags: readonly string[], i: number): number[] {
  return i > 0 && /^(?:-r|--require|--import|--loader|--experimental-loader)$/.test(flags[i - 1] ?? '') ? [i - 1] : [];
}

/**
 * A parent without a loader flag (a test worker) where the SDK's loader
 * doesn't serve: tsx where it resolves (a tsconfig with `paths`); else, for
 * jest + ts-jest, the project's typescript (ts-jest needs one) in the SDK's
 * small require hook around its transpileModule.
 */
function fallbackLoader(modulePath: string): string[] {
  const tsx = resolveFrom([modulePath, ownFile], 'tsx');
  if (tsx) return ['--import', pathToFileURL(tsx).href];
  if (!isCommonJsTypeScript(modulePath)) return [];
  const typescript = resolveFrom([modulePath], 'typescript/package.json');
  const major = typescript ? Number((JSON.parse(readFileSync(typescript, 'utf8')) as { version?: string }).version?.split('.')[0]) : NaN;
  return major < 7 ? ['--require', fileURLToPath(new URL('./typescript-hook.cjs', ownUrl))] : [];
}

const esbuildFound = new Map<string, string | undefined>();

/**
 * esbuild's main file, from the module's folder, else beside tsx (its
 * dependency), else beside the SDK; only 0.21 or later, the first to compile
 * TC39 decorators. Once per module folder.
 */
function findEsbuild(modulePath: string): string | undefined {
  const dir = dirname(modulePath);
  if (esbuildFound.has(dir)) return esbuildFound.get(dir);
  const tsx = resolveFrom([modulePath, ownFile], 'tsx/package.json');
  const bases = [modulePath, ...(tsx ? [tsx] : []), ownFile];
  let found: string | undefined;
  for (const base of bases) {
    const pkg = resolveFrom([base], 'esbuild/package.json');
    const version = pkg ? (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version : undefined;
    const [major = 0, minor = 0] = (version ?? '').split('.').map(Number);
    if (pkg && (major > 0 || minor >= 21)) {
      found = resolveFrom([base], 'esbuild');
      break;
    }
  }
  esbuildFound.set(dir, found);
  return found;
}

/**
 * True when the tsconfig.json nearest to the module, or to the working
 * folder (where tsx looks), or one it extends by relative path, sets
 * `paths`: those imports only tsx resolves. A text search, on purpose: a
 * false "yes" only keeps tsx.
 */
function usesTsconfigPaths(modulePath: string): boolean {
  const seen = new Set<string>();
  const check = (file: string | undefined, depth: number): boolean => {
    if (!file || seen.has(file) || depth > 8) return false;
    seen.add(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return false;
    }
    if (/"paths"\s*:/.test(text)) return true;
    const extended = /"extends"\s*:\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])/.exec(text)?.[1] ?? '[]';
    let targets: unknown[] = [];
    try {
      targets = JSON.parse(extended.startsWith('[') ? extended : `[${extended}]`) as unknown[];
    } catch {
      // not plain JSON (a trailing comma): follow nothing
    }
    targets = targets.filter((t) => typeof t === 'string' && t.startsWith('.'));
    return (targets as string[]).some((t) => check(resolvePath(dirname(file), t.endsWith('.json') ? t : `${t}.json`), depth + 1));
  };
  return check(nearestTsconfig(dirname(modulePath)), 0) || check(nearestTsconfig(process.cwd()), 0);
}

function nearestTsconfig(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const file = join(current, 'tsconfig.json');
    if (existsSync(file)) return file;
    if (dirname(current) === current) return undefined;
  }
}
