import { processDefaults } from '../../options/process-defaults.js';
export type { OwnedChild, OwnedPool } from './registry-state.js';
import type { ChildCommand } from '../children/child-command.js';
import { ChildHandle } from '../children/child-handle.js';
import type { PoolChild, SpawnChild } from './pool-child.js';
import { type DescendantMarker, endDescendants } from '../../shared/descendants.js';
import { type ChildRegistry, type OwnedChild, childRegistryState } from './registry-state.js';

/**
 * The one owner of every child this process started, whichever copy of the
 * SDK started it: the functions that work on the registry's state, which
 * lives in the process-wide state (see registry-state.ts for why).
 */
export function registry(): ChildRegistry {
  return childRegistryState();
}

/** A real child process: what a pool starts unless it was handed another way (a fake, in the scheduler's unit tests). */
export const spawnChildProcess: SpawnChild = (command, heapLimitMb, preload, onExit, target) =>
  new ChildHandle(command, heapLimitMb, preload, onExit, target);

/** Starts a child that the registry owns until it ends: for the method `target`, or a standby (`preload`) for any. */
export function startChild(
  spawn: SpawnChild,
  command: ChildCommand,
  heapLimitMb: number | undefined,
  target: string | undefined,
  preload = false,
): PoolChild {
  const children = registry();
  const child = spawn(command, heapLimitMb, preload, childEnded, target);
  children.live.add(child);
  if (!children.exitHookInstalled) {
    children.exitHookInstalled = true;
    // A child must never outlive its parent, not even for the moment its IPC
    // channel takes to close: whatever is left is killed synchronously.
    process.on('exit', () => {
      const markers: DescendantMarker[] = [];
      for (const live of children.live) {
        live.kill('the parent is exiting', 'parent-exit');
        if (live.marker) markers.push(live.marker);
      }
      // What they started outside their process groups: their handles won't see them end.
      endDescendants(markers);
    });
  }
  return child;
}

/**
 * Is there room for a child that is only a head start (standby, warm-up)?
 * Not while a call waits for a place: the call comes first.
 */
export function hasRoom(): boolean {
  const { live, waiting } = registry();
  return waiting.size === 0 && live.size < processDefaults().maxChildren;
}

/**
 * May one more child start under the process-wide cap? If not, `wake` runs
 * when a child ends, and an idle child is ended to make room for it.
 */
export function mayStartChild(wake: () => void): boolean {
  if (registry().live.size < processDefaults().maxChildren) return true;
  registry().waiting.add(wake);
  makeRoom();
  return false;
}

/**
 * The child waits for work; `end` retires it. If a call elsewhere is waiting
 * for a place, the child gives way to it, though not before the pool that
 * offered it has had the chance to take it back for its own queue.
 */
export function offerIdle(child: OwnedChild, end: () => void): void {
  registry().idle.set(child, end);
  queueMicrotask(makeRoom);
}

/** The child took a call, or is being retired anyway. */
export function claimIdle(child: OwnedChild): void {
  registry().idle.delete(child);
}

/** Ends idle children, oldest first, until every waiting pool has a place on its way. */
function makeRoom(): void {
  const { idle, makingRoom, waiting } = registry();
  while (makingRoom.size < waiting.size) {
    const oldest = idle.entries().next().value;
    if (!oldest) return;
    const [child, end] = oldest;
    idle.delete(child);
    makingRoom.add(child);
    end();
  }
}

/** Called by a child's handle once it is gone: its place goes to whoever waits. */
function childEnded(child: OwnedChild): void {
  const { live, idle, makingRoom, waiting } = registry();
  live.delete(child);
  idle.delete(child);
  makingRoom.delete(child);
  const wakers = [...waiting];
  waiting.clear();
  for (const wake of wakers) wake();
}
