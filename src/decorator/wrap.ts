import { globalState } from '../shared/global-state.js';
import { startedChildRun } from '../child/child-run.js';
import { stopUnguardedCall } from '../child/unguarded-entry.js';
import type { MethodMeta } from '../targets/method-meta.js';
import { targetRecords } from '../targets/records.js';

/** What a decorated method or isolate() function becomes. */
export type IsolatedFunction = (this: unknown, ...args: unknown[]) => Promise<unknown> | AsyncGenerator<unknown>;

/** Replaces a method or function by its isolated form (`meta` describes it). */
export type Wrap = (meta: MethodMeta) => IsolatedFunction;

/** How a wrapper outside a child runs a call: a child call (parent/calls/invoke.ts). */
export type Dispatch = (meta: MethodMeta, self: unknown, args: unknown[]) => Promise<unknown> | AsyncGenerator<unknown>;

/** The function that replaces the method: inline in a child, `dispatch` otherwise. */
export function wrapWith(meta: MethodMeta, dispatch: Dispatch): IsolatedFunction {
  const state = globalState();
  const { original } = meta;
  const isolated = function (this: unknown, ...args: unknown[]): Promise<unknown> | AsyncGenerator<unknown> {
    if (state.inChild) {
      // Called in a child while no dispatched call runs: the app's own start-up, unguarded (child/unguarded-entry.ts).
      if (startedChildRun()?.running === 0) return stopUnguardedCall(labelOf(meta, this));
      // In the child this very wrapper is what gets called: run the real code.
      return original.apply(this, args) as Promise<unknown>;
    }
    return dispatch(meta, this, args);
  };
  Object.defineProperty(isolated, 'name', { value: meta.name });
  targetRecords().methods.set(isolated, meta);
  return isolated;
}

/** `Class.method` (or the function's id) for messages, from what the call has at hand. */
function labelOf(meta: MethodMeta, self: unknown): string {
  if (meta.kind === 'function') return meta.name;
  const owner = meta.kind === 'static' ? self : (self as { constructor?: unknown } | null | undefined)?.constructor;
  return `${typeof owner === 'function' ? owner.name : (meta.owner?.name ?? '?')}.${meta.name}`;
}
