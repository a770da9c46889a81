import { globalState } from '../shared/global-state.js';
import { ChildHandle } from './child-handle.js';
import type { ChildCommand } from './child-command.js';
import { hasRoom, markBusy, markIdle } from './live-children.js';

/**
 * One child started ahead of time per distinct child command, idle before it
 * has loaded any user module (like Python's forkserver): a call takes it and
 * skips Node's start-up. It never keeps the parent alive.
 */
const standbys = new Map<string, ChildHandle>();

export function takeStandby(command: ChildCommand): ChildHandle | undefined {
  const child = standbys.get(command.key);
  if (!child) return undefined;
  standbys.delete(command.key);
  markBusy(child);
  return child.alive && !child.ending ? child : undefined;
}

/**
 * Starts the standby child for `command` unless one is there. A standby is
 * only a head start: it is skipped at the maxChildren cap, and ended when a
 * call needs its place.
 */
export function ensureStandby(command: ChildCommand, heapLimitMb: number | undefined): void {
  const current = standbys.get(command.key);
  if (current && current.alive && !current.ending) return;
  if (!hasRoom(globalState().maxChildren)) return;
  const child = new ChildHandle(command, heapLimitMb, true);
  child.setReferenced(false);
  standbys.set(command.key, child);
  markIdle(child, () => {
    if (standbys.get(command.key) === child) standbys.delete(command.key);
    child.kill('a standby gives way to a call under maxChildren');
  });
}

/** Ends every standby child (shutdown). */
export function endStandbys(): ChildHandle[] {
  const ended = [...standbys.values()];
  standbys.clear();
  for (const child of ended) child.kill('shutdown() ends standby children');
  return ended;
}
