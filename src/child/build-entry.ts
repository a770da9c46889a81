/**
 * dist/child-build.cjs, which dist/child.cjs evaluates in its own module
 * (code-cache/process-entry.ts): the program a child process runs, and the
 * SDK's API in that child. Run as the process's main module, it starts the
 * child loop (child-loop.ts) before any user module loads; the user's module then
 * imports `isolated-call` through the `isolated-call-child` export condition
 * and gets this very module (child-api.ts; dist/child-api.mjs for ES
 * modules), already compiled. Loaded any other way (another copy of the SDK
 * in the child's node_modules), it is only that API.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { PRELOAD_FLAG } from '../protocol/messages.js';
import { CHILD_CONDITION_FLAG } from '../shared/child-flags.js';
import { dynamicImport } from '../shared/dynamic-import.js';
import { globalState } from '../shared/global-state.js';
import { startChildLoop } from './child-loop.js';
import { enableCompileCache } from './code-cache/compile-cache.js';

export * from './child-api.js';

if (require.main === module) {
  // What the child starts (a fork() of its own) resolves `isolated-call` as any other process does.
  process.execArgv = process.execArgv.filter((flag) => flag !== CHILD_CONDITION_FLAG);
  // Before any user module loads: decorated methods now run inline.
  globalState().inChild = true;
  // Before any user module loads: Node caches the compiled code of every module the call loads.
  enableCompileCache(module);
  startChildLoop();
  if (process.argv.includes(PRELOAD_FLAG)) preloadEsmApi();
}

/**
 * A standby child has time to spare before its call: an ES module's call
 * would first start Node's ESM loader and load dist/child-api.mjs. Doing
 * both now leaves the call only the user's own module to load. A failure is
 * ignored: the call loads whatever it needs anyway.
 */
function preloadEsmApi(): void {
  setImmediate(() => {
    dynamicImport(pathToFileURL(join(__dirname, 'child-api.mjs')).href).catch(() => {});
  });
}
