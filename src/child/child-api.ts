/**
 * The SDK's public API as a child process sees it (dist/child.cjs, and
 * dist/child-api.mjs for ES modules): a child resolves `isolated-call` here
 * through the `isolated-call-child` export condition its parent gives it.
 * Every name of src/index.ts is here (test/child-build.test.ts checks), but
 * nothing of the parent's machinery: in a child a decorated method runs
 * inline, so pools, queues and child handles would be loaded for nothing.
 * That is about half of the SDK's code, compiled by every fresh child.
 *
 * Code of the child that is not the child's own thread (a worker thread it
 * starts) sees no child state; there, each entry point hands over to the
 * full build, loaded on first use.
 */
import { join } from 'node:path';
import { isolatedDecorator } from '../decorator/decorate-method.js';
import type { IsolatedDecorator } from '../decorator/isolated-decorator.js';
import { isolatedFunction } from '../decorator/isolated-function.js';
import { type IsolatedFunction, wrapWith } from '../decorator/wrap.js';
import type { IsolatedOptions } from '../options/types.js';
import { globalState } from '../shared/global-state.js';
import type { MethodMeta } from '../targets/method-meta.js';
import { isolatedMetaOf } from '../targets/records.js';
import type { MethodStats, ShutdownOptions } from '../index.js';

export { isIsolatedChild } from '../is-isolated-child.js';
export { configure } from '../options/configure.js';
export { diagnosticsChannels } from '../shared/diagnostics-channels.js';
export { registerClass, registerSymbol, registerCustom } from '../codec/register.js';
export { measureRss } from '../measure/measure-rss.js';
export { isModuleLoaded } from '../measure/is-module-loaded.js';
export { IsolatedCallError } from '../errors/isolated-call-error.js';
export { ChildExitedError, ChildOutOfMemoryError } from '../errors/child-exited-error.js';
export { CallTimeoutError } from '../errors/call-timeout-error.js';
export { CallAbortedError } from '../errors/call-aborted-error.js';
export { SerializationError } from '../errors/serialization-error.js';
export { ModuleLoadError } from '../errors/module-load-error.js';
export { ProtocolError } from '../errors/protocol-error.js';
export { TempFolderError } from '../errors/temp-folder-error.js';
export { ShutdownError } from '../errors/shutdown-error.js';
export { QueueFullError } from '../errors/queue-full-error.js';
export { InvalidOptionError } from '../errors/invalid-option-error.js';
export { CallbackExpiredError } from '../errors/callback-expired-error.js';

type FullSdk = typeof import('../index.js');

/** The SDK's full CommonJS build, beside this file; for code that runs outside the child's own thread. */
function fullSdk(): FullSdk {
  return require(join(__dirname, 'index.cjs')) as FullSdk;
}

const inChild = (): boolean => globalState().inChild;

/** In a child, the wrapper runs the method inline; it never dispatches (the child state doesn't go away). */
function wrapInChild(meta: MethodMeta): IsolatedFunction {
  return wrapWith(meta, () => {
    throw new Error(`isolated-call: ${meta.name} was decorated in a child and called outside it`);
  });
}

/** `@Isolated()` (src/decorator/isolated.ts): in a child it only records the method, which runs inline. */
export function Isolated(options?: IsolatedOptions): IsolatedDecorator {
  return inChild() ? isolatedDecorator(options, wrapInChild) : fullSdk().Isolated(options);
}

/** `isolate()` (src/decorator/isolate.ts): in a child it only records the function, which runs inline. */
// biome-ignore lint/suspicious/noExplicitAny: "any callable" in TypeScript; unknown[] rejects typed parameters
export function isolate<F extends (...args: any[]) => Promise<unknown> | AsyncIterable<unknown>>(fn: F, options?: IsolatedOptions): F {
  return (inChild() ? isolatedFunction(fn, options, wrapInChild) : fullSdk().isolate(fn, options)) as F;
}

/** `stats()`: a child has no pools (its isolated methods run inline). */
export function stats(): MethodStats[] {
  return inChild() ? [] : fullSdk().stats();
}

/** `shutdown()`: a child has no children of its own to end. */
export async function shutdown(options?: ShutdownOptions): Promise<void> {
  if (!inChild()) await fullSdk().shutdown(options);
}

/** `warmUp()`: checks its argument as the parent does; a child starts no children for it. */
export function warmUp(method: Function): void {
  if (!inChild()) fullSdk().warmUp(method);
  else isolatedMetaOf(method, 'warmUp()');
}
