import type { ChildHandle } from './child-handle.js';

/**
 * Every child this copy of the SDK started that hasn't ended yet. When the
 * parent exits, whatever is left is killed synchronously: a child must never
 * outlive its parent, even for the moment its IPC channel takes to close.
 */
export const liveChildren = new Set<ChildHandle>();

/** Pools waiting for the process-wide cap on live children to allow one more. */
const waiting = new Set<() => void>();

/**
 * Children with no call to run (warm and idle, or standby), oldest first, each
 * with how to end it. At the cap they give way to a waiting call: otherwise
 * one method's warm children would hold the cap for their whole keepAlive.
 */
const idleChildren = new Map<ChildHandle, () => void>();

/** Idle children ended to make room, not gone yet: each frees one place soon. */
const makingRoom = new Set<ChildHandle>();

let exitHookInstalled = false;

export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of liveChildren) child.kill('the parent is exiting');
  });
}

/**
 * May one more child start under the process-wide cap? If not, `wake` runs
 * when one ends, and an idle child is ended to make room if none is on its
 * way out for this waiter already.
 */
export function mayStartChild(maxChildren: number, wake: () => void): boolean {
  if (liveChildren.size < maxChildren) return true;
  waiting.add(wake);
  if (makingRoom.size < waiting.size) {
    const oldest = idleChildren.entries().next().value;
    if (oldest) {
      const [child, end] = oldest;
      idleChildren.delete(child);
      makingRoom.add(child);
      end();
    }
  }
  return false;
}

/** Is there room for one more child without waiting or ending another (standby, warm-up)? */
export function hasRoom(maxChildren: number): boolean {
  return liveChildren.size < maxChildren;
}

/** The child waits for work; `end` retires it if the cap needs its place. */
export function markIdle(child: ChildHandle, end: () => void): void {
  idleChildren.set(child, end);
}

/** The child took a call, or is being retired anyway. */
export function markBusy(child: ChildHandle): void {
  idleChildren.delete(child);
}

export function childGone(child: ChildHandle): void {
  liveChildren.delete(child);
  idleChildren.delete(child);
  makingRoom.delete(child);
  const wakers = [...waiting];
  waiting.clear();
  for (const wake of wakers) wake();
}
