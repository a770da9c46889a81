import type { TargetRef } from '../protocol/messages.js';
import { toPath } from '../shared/module-url.js';
import { childRun } from './child-run.js';

/**
 * An app whose entry defines isolated methods (a bundle always does: the
 * whole app is one file) runs its start-up again in the child, which
 * imports that file to find the method, unless the start-up is guarded
 * with `if (!isIsolatedChild()) main()`. Unguarded, the app's work would run
 * twice, and its isolated calls would run inline in the child. The child
 * catches it at the first such call: a decorated method called in the child
 * while no dispatched call is running can only come from the app's own code.
 */

const GUARD = "if (!isIsolatedChild()) main();   // import { isIsolatedChild } from 'isolated-call'";

/** True when a decorated method called in this child is the app's own code, not a dispatched call or one nested in it. */
export function isOutsideEveryCall(): boolean {
  return childRun().running === 0;
}

/**
 * Records the app's unguarded call, warns once on the child's stderr (which
 * the parent passes on) and returns a promise that never settles: the app's
 * start-up stops there instead of doing its work a second time. The call the
 * parent dispatched then fails with {@link unguardedEntryError}.
 */
export function stopUnguardedCall(label: string): Promise<never> {
  const run = childRun();
  if (!run.unguarded) {
    run.unguarded = { label, module: run.importing };
    process.emitWarning(describe(run.unguarded), { code: 'ISOLATED_CALL_UNGUARDED_ENTRY' });
    for (const notify of run.onUnguarded) notify();
  }
  return new Promise<never>(() => {});
}

/**
 * Rejects with the unguarded-entry error once the app's own code calls an
 * isolated method in this child, for racing a module load: an ES module
 * entry whose start-up awaits at the top level (`await main()`) never
 * finishes loading once that call is stopped, so the import would never
 * settle. `done()` stops listening.
 */
export function unguardedWhileLoading(target: TargetRef): { readonly stopped: Promise<never>; done(): void } {
  const run = childRun();
  let notify: () => void = () => {};
  const stopped = new Promise<never>((_, reject) => {
    notify = () => reject(unguardedEntryError(target));
  });
  stopped.catch(() => {}); // raced; unobserved when the load wins
  // Already stopped (a bundle that is the child's own main script ran its start-up first): fail now.
  if (run.unguarded) notify();
  else run.onUnguarded.add(notify);
  return { stopped, done: () => run.onUnguarded.delete(notify) };
}

/** The error that fails a dispatched call once the app's own code has called an isolated method in this child. */
export function unguardedEntryError(target: TargetRef): Error | undefined {
  const found = childRun().unguarded;
  if (!found) return undefined;
  const error = new Error(describe({ label: found.label, module: found.module ?? target.module }));
  (error as { code?: string }).code = 'ISOLATED_CALL_UNGUARDED_ENTRY';
  return error;
}

function describe(found: { label: string; module: string | undefined }): string {
  const file = found.module ? pathOf(found.module) : 'the entry script';
  return (
    `${file} ran its start-up again in the child: the child imports that file to find the isolated method, and its top-level ` +
    `code called ${found.label} itself, so the app's work would run twice (a bundled app is one file, so its entry is always ` +
    `imported). Guard the start-up of the entry: ${GUARD}. [ISOLATED_CALL_UNGUARDED_ENTRY]`
  );
}

function pathOf(module: string): string {
  try {
    return toPath(module);
  } catch {
    return module;
  }
}
