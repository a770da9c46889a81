import type { ChildCommand } from '../children/child-command.js';
import { claimIdle, hasRoom, offerIdle, registry, startChild } from './child-registry.js';
import type { PoolChild, SpawnChild } from './pool-child.js';

/**
 * One child started ahead of time per distinct child command, idle before it
 * has loaded any user module (like Python's forkserver): a call takes it and
 * skips Node's start-up. It never keeps the parent alive. The standbys live
 * in the process-wide registry, so `shutdown()` from either build ends them.
 */
export function takeStandby(command: ChildCommand): PoolChild | undefined {
  const { standbys } = registry();
  // Possibly the other build's handle: the same class in another copy, same shape.
  const child = standbys.get(command.key) as PoolChild | undefined;
  if (!child) return undefined;
  standbys.delete(command.key);
  claimIdle(child);
  return child.alive && !child.ending ? child : undefined;
}

/**
 * Starts the standby child for `command` unless one is there. A standby is
 * only a head start: it is skipped at the maxChildren cap, and ended when a
 * call needs its place.
 */
export function ensureStandby(spawn: SpawnChild, command: ChildCommand, heapLimitMb: number | undefined): void {
  const { standbys } = registry();
  const current = standbys.get(command.key);
  if ((current?.alive && !current.ending) || !hasRoom()) return;
  const child = startChild(spawn, command, heapLimitMb, undefined, true);
  child.setReferenced(false);
  standbys.set(command.key, child);
  offerIdle(child, () => {
    if (standbys.get(command.key) === child) standbys.delete(command.key);
    child.kill('a standby gives way to a call under maxChildren', 'made-room');
  });
}

/** Ends every standby child (shutdown); resolves when they are gone. */
export function endStandbys(): Promise<void>[] {
  const { standbys } = registry();
  const ended = [...standbys.values()];
  standbys.clear();
  for (const child of ended) {
    claimIdle(child);
    child.kill('shutdown() ends standby children', 'shutdown');
  }
  return ended.map((child) => child.exited());
}
