/**
 * How the parent tells a child where Node's compile cache lives
 * (`module.enableCompileCache`, Node >= 22.1): `COMPILE_CACHE_ARG=<folder>`
 * after the child entry. The parent names and checks the folder
 * (parent/caches/compile-cache.ts) so a refusal is warned about once, in the
 * process the user watches; the child only turns the cache on
 * (child/code-cache/compile-cache.ts).
 */
import { createRequire } from './create-require.js';

export const COMPILE_CACHE_ARG = '--isolated-call-compile-cache';

/** The folder this child was given, or undefined (none: off, old Node, no private folder). */
export function compileCacheFolderIn(argv: readonly string[]): string | undefined {
  const prefix = `${COMPILE_CACHE_ARG}=`;
  const folder = argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
  return folder ? folder : undefined;
}

/** node:module's compile cache functions, each absent where this Node lacks it (the types may be Node 20's). */
export interface CompileCacheApi {
  enableCompileCache?: (dir?: string) => { status: number; message?: string; directory?: string };
  getCompileCacheDir?: () => string | undefined;
  flushCompileCache?: () => void;
  constants?: { compileCacheStatus?: Record<'FAILED' | 'ENABLED' | 'ALREADY_ENABLED' | 'DISABLED', number> };
}

/** Through require(), as node-fs.ts does: an ESM import of a built-in would build a facade, on the parent's import of the SDK. */
export function compileCacheApi(): CompileCacheApi {
  api ??= createRequire(process.execPath)('node:module') as CompileCacheApi;
  return api;
}
let api: CompileCacheApi | undefined;
