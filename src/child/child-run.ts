import { globalSlot } from '../shared/global-slot.js';

/**
 * What the child loop is doing, shared by every SDK copy in the child (the
 * loop may be dist/child.cjs while the user's module imports dist/index.js):
 * the decorated wrappers read it to tell a call the child dispatched (or one
 * nested in it) from the app's own code calling an isolated method.
 */
export interface ChildRun {
  /** The module URL the child is importing right now, to find a call's target. */
  importing: string | undefined;
  /** How many dispatched methods are running (a nested isolated call runs inside one). */
  running: number;
  /** The first isolated method the app's own code called outside every call, and from which module load. */
  unguarded: { readonly label: string; readonly module: string | undefined } | undefined;
  /** Told when `unguarded` is first set: a module load that waits on the stopped start-up (top-level await) fails at once. */
  readonly onUnguarded: Set<() => void>;
}

const childRunSlot = globalSlot<{ run?: ChildRun }>('childRun', () => ({}));

/** The child's run state; created on first use (only the child loop and child-side wrappers ask for it). */
export function childRun(): ChildRun {
  const slot = childRunSlot();
  slot.run ??= { importing: undefined, running: 0, unguarded: undefined, onUnguarded: new Set() };
  return slot.run;
}

/** The child's run state if the child loop or a child-side wrapper made it; undefined in any other process. */
export function startedChildRun(): ChildRun | undefined {
  return childRunSlot().run;
}
