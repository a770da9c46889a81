import type { ChildHandle } from './child-handle.js';

/**
 * Every child this copy of the SDK started that hasn't ended yet. When the
 * parent exits, whatever is left is killed synchronously: a child must never
 * outlive its parent, even for the moment its IPC channel takes to close.
 */
export const liveChildren = new Set<ChildHandle>();

/** Pools waiting for the process-wide cap on live children to allow one more. */
const waiting = new Set<() => void>();

let exitHookInstalled = false;

export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of liveChildren) child.kill();
  });
}

/** May one more child start under the process-wide cap? If not, `wake` runs when one ends. */
export function mayStartChild(maxChildren: number, wake: () => void): boolean {
  if (liveChildren.size < maxChildren) return true;
  waiting.add(wake);
  return false;
}

export function childGone(child: ChildHandle): void {
  liveChildren.delete(child);
  const wakers = [...waiting];
  waiting.clear();
  for (const wake of wakers) wake();
}
