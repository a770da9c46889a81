/**
 * Where a child keeps Node's compile cache of the modules it loads
 * (child/code-cache/compile-cache.ts; Node >= 22.1): this user's private
 * folder `isolated-call-compile-<uid>` in the child's temp folder, checked
 * here so a folder that isn't safely ours is refused with one warning in
 * the process the user watches. A Node without that cache (Node 20) keeps
 * the SDK's own cache of CommonJS modules there (child/code-cache/module-cache.ts).
 * Node never prunes the folder: this process does, once (compile-cache-prune.ts).
 * Off with `ISOLATED_CALL_CODE_CACHE=off`, as the SDK's own code cache;
 * Node's `NODE_DISABLE_COMPILE_CACHE` and a `NODE_COMPILE_CACHE` of the
 * user's own are respected (Node then uses theirs).
 */
import { join } from 'node:path';
import { COMPILE_CACHE_ARG, compileCacheApi } from '../../shared/compile-cache-arg.js';
import { codeCacheOff } from '../../shared/environment.js';
import { isSdkBundled } from '../../shared/sdk-location.js';
import { privateFolder, tmpdirIn } from '../../shared/private-folder.js';
import { runtime } from '../../shared/runtime.js';
import { warnCacheRefused } from './cache-warning.js';
import type { ChildCommand } from '../children/child-command.js';
import { pruneCompileCacheSoon } from './compile-cache-prune.js';

/** The arguments that give a child started with `command` its compile cache folder; none when it gets none. */
export function compileCacheArgs(command: ChildCommand): readonly string[] {
  const { env } = command;
  // A bundled app's child is the app's own script: an argument of ours would be in its process.argv.
  if (isSdkBundled() || typeof process.getuid !== 'function') return [];
  if (codeCacheOff(env) || env.NODE_COMPILE_CACHE || env.NODE_DISABLE_COMPILE_CACHE) return [];
  // The SDK's own cache is made of Node's loader and V8's code cache: Deno and Bun get only a compile cache of their own.
  if (runtime !== 'node' && typeof compileCacheApi().enableCompileCache !== 'function') return [];
  const path = join(tmpdirIn(env), `isolated-call-compile-${process.getuid()}`);
  const folder = privateFolder(path, (why) => warnCacheRefused('compile cache', path, why));
  if (folder === undefined) return [];
  pruneCompileCacheSoon(folder);
  return [`${COMPILE_CACHE_ARG}=${folder}`];
}
