import type { ChildExit } from '../../errors/child-exited-error.js';
import type { ChannelMemory } from '../../protocol/build-messages.js';
import type { CallMessage, ParentMessage } from '../../protocol/messages.js';
import type { ChildCommand } from '../children/child-command.js';
import type { ChildExitReason } from '../children/child-events.js';
import type { Pending } from '../calls/pending-replies.js';

/**
 * One child as the scheduler sees it (method-pool.ts, warm-children.ts,
 * standby.ts, and a call's attempt, stream and callbacks): calls go in,
 * replies come back through `Pending`, and every way it ends fails what is
 * still pending on it. ChildHandle is the real process; the scheduler's unit
 * tests hand the pool a fake.
 */
export interface PoolChild {
  readonly pid: number | undefined;
  /** False once it can't take a call (exiting, channel closed). */
  readonly alive: boolean;
  /** How it ended, once it has. */
  readonly exit: ChildExit | undefined;
  /** Set when the parent decided to end it (retire, kill). */
  readonly ending: boolean;
  /** When it was started and when it said `ready` (undefined before), for a call's `startupMs`. */
  readonly spawnedAt: number;
  readonly readyAt: number | undefined;
  /** Calls started on it. */
  readonly calls: number;
  /** Peak RSS it reported for its last call, in bytes: the pool writes it from the reply. */
  lastPeakRss: number;
  /** The method whose child it is (set again when a pool takes a standby); for the diagnostics events. */
  target: string | undefined;
  /** It crashed before `ready` on a code cache: its calls never started. */
  readonly diedOnCodeCache: boolean;
  /** What it was told already, which its next call message leaves out. */
  readonly channel: ChannelMemory;
  /** Sends a call; `pending` hears the reply, or why there will be none. */
  request(message: CallMessage, pending: Pending): void;
  /** Fire-and-forget message (abort, stream credit); losing it to a dead child is fine. */
  notify(message: ParentMessage): void;
  /** Stops waiting for call `id`: its reply, if any, is dropped. */
  forget(id: number): void;
  /** Ends it now; `reason` overrides a retirement under way. */
  kill(why?: string, reason?: ChildExitReason): void;
  /** Lets it leave on its own, killing it after `grace` ms. */
  retire(grace: number, reason: ChildExitReason): void;
  /** Kills it after `ms` (`Infinity`: never) unless it is gone by then. */
  killAfter(ms: number, reason: ChildExitReason): void;
  /** Whether it holds the parent's event loop: while a call waits on it, never while idle. */
  setReferenced(on: boolean): void;
  /** Resolves once it is gone (immediately if it is). */
  exited(): Promise<void>;
}

/**
 * Starts one child (a standby when `preload`, else for the method `target`);
 * `onExit` runs once it is gone, so the registry frees its place. The pool is
 * handed one: real processes by default (child-registry.ts), a fake in tests.
 */
export type SpawnChild = (
  command: ChildCommand,
  heapLimitMb: number | undefined,
  preload: boolean,
  onExit: (child: PoolChild) => void,
  target: string | undefined,
) => PoolChild;
