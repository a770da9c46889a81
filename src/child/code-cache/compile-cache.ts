/**
 * Node's compile cache for the modules a child loads (the user's module and
 * its dependencies, CommonJS and ES modules alike; Node >= 22.1): a fresh
 * child then reads their compiled code from the folder instead of
 * compiling them again. Node keeps the cache's format and checks (a damaged
 * or stale entry is compiled again, never run), and writes what it compiled
 * as the child exits. Turned on before any user module loads, in the folder
 * the parent checked is private (parent/caches/compile-cache.ts). A Node without it
 * (Node 20) gets the SDK's own cache of CommonJS modules (module-cache.ts).
 */
import { debuglog } from 'node:util';
import { compileCacheApi, compileCacheFolderIn } from '../../shared/compile-cache-arg.js';
import { runtime } from '../../shared/runtime.js';
import { installModuleCache } from './module-cache.js';
import type { NodeModule } from './module-require.js';

const debug = debuglog('isolated-call');

/** What became of the compile cache in this child (for the tests, and for anyone diagnosing a slow start). */
/** `modules`: the SDK's own cache of CommonJS modules, where Node has no compile cache. */
export type CompileCacheStatus = 'enabled' | 'already-enabled' | 'modules' | 'failed' | 'disabled' | 'off';

/** Where the status is kept: `globalThis[COMPILE_CACHE_STATUS]`. */
const COMPILE_CACHE_STATUS = Symbol.for('isolated-call.child-compile-cache');

/** Turns on Node's compile cache (or the SDK's) in the folder the parent gave, if any; never fails the child. `own`: the child's entry module. */
export function enableCompileCache(own: NodeJS.Module, argv: readonly string[] = process.argv): CompileCacheStatus {
  const status = enable(own as NodeModule, argv);
  (globalThis as Record<symbol, unknown>)[COMPILE_CACHE_STATUS] = status;
  return status;
}

function enable(own: NodeModule, argv: readonly string[]): CompileCacheStatus {
  const folder = compileCacheFolderIn(argv);
  const api = compileCacheApi();
  // The user's NODE_COMPILE_CACHE is their folder: Node turned it on at start, ours never replaces it.
  if (folder === undefined || process.env.NODE_COMPILE_CACHE) return 'off';
  if (typeof api.enableCompileCache !== 'function') {
    if (runtime !== 'node') return 'off';
    try {
      return installModuleCache(folder, own) ? 'modules' : 'failed';
    } catch (error) {
      debug('module cache not on in %s: %s', folder, (error as Error).message);
      return 'failed';
    }
  }
  const codes = api.constants?.compileCacheStatus;
  try {
    const result = api.enableCompileCache(folder);
    switch (result.status) {
      case codes?.ENABLED:
        return 'enabled';
      case codes?.ALREADY_ENABLED:
        // A preload (--require, --import) turned it on first: its folder stands.
        debug('compile cache already on in %s: kept', result.directory ?? '?');
        return 'already-enabled';
      case codes?.DISABLED:
        // NODE_DISABLE_COMPILE_CACHE: the user turned Node's cache off.
        return 'disabled';
      default:
        debug('compile cache not on in %s: %s', folder, result.message ?? 'failed');
        return 'failed';
    }
  } catch (error) {
    debug('compile cache not on in %s: %s', folder, (error as Error).message);
    return 'failed';
  }
}
