import { globalSlot } from '../../shared/global-slot.js';
import type { DescendantMarker } from '../../shared/descendants.js';
import type { ChildExitReason } from '../children/child-events.js';
import type { MethodStats } from './method-stats.js';

/**
 * The state of the process-wide child registry (child-registry.ts).
 * A process can hold the CommonJS and the ESM build at once; the cap on live
 * children and `shutdown()` must see the children of both, so this state
 * is a process-wide slot (shared/global-slot.ts).
 *
 * Entries are kept through the small interfaces below, never a class: the
 * other build's ChildHandle is another class with the same shape.
 */
export interface OwnedChild {
  readonly pid: number | undefined;
  /** False once it can't take a call (exiting, channel closed). */
  readonly alive: boolean;
  /** Set when the parent decided to end it. */
  readonly ending: boolean;
  /** How what it started is found (absent in a child of an older copy of the SDK). */
  readonly marker?: DescendantMarker;
  /** Ends the child (and its process group) now; `reason` for the child's exit event. */
  kill(why?: string, reason?: ChildExitReason): void;
  /** Resolves once the child is gone. */
  exited(): Promise<void>;
}

/** What `stats()` and `shutdown()` need of a method's pool. */
export interface OwnedPool {
  stats(): MethodStats;
  /** Rejects queued calls and ends idle children; running calls finish unless `force`. */
  close(force: boolean): Promise<void>[];
}

export interface ChildRegistry {
  /** Every child started and not ended yet. */
  readonly live: Set<OwnedChild>;
  /**
   * Children with no call to run (warm and idle, or standby), oldest first,
   * each with how to end it: at the cap they give way to a waiting call, or
   * one method's warm children would hold the cap for their whole keepAlive.
   */
  readonly idle: Map<OwnedChild, () => void>;
  /** Idle children ended to make room and not gone yet: each frees a place soon. */
  readonly makingRoom: Set<OwnedChild>;
  /** Pools that have a call waiting for a place under the cap. */
  readonly waiting: Set<() => void>;
  /** Every method pool in use, for `stats()` and `shutdown()`. */
  readonly pools: Set<OwnedPool>;
  /** The standby child of each distinct child command (see standby.ts). */
  readonly standbys: Map<string, OwnedChild>;
  exitHookInstalled: boolean;
}

export function createRegistryState(): ChildRegistry {
  return {
    live: new Set(),
    idle: new Map(),
    makingRoom: new Set(),
    waiting: new Set(),
    pools: new Set(),
    standbys: new Map(),
    exitHookInstalled: false,
  };
}

/** Every child and pool of this process, whichever SDK copy started it. */
export const childRegistryState = globalSlot<ChildRegistry>('children', createRegistryState);
