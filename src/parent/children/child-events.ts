import diagnosticsChannel from 'node:diagnostics_channel';
import type { ChildSignal } from '../../errors/child-exited-error.js';
import { diagnosticsChannels } from '../../shared/diagnostics-channels.js';

/**
 * Why a child ended: the parent's decision, or `'crash'` when there was none.
 * The first decision counts (a child retired as idle and then killed after
 * the grace period ended as `'idle'`), except that a kill for a timeout, an
 * abort or a protocol error overrides a retirement that had not finished yet.
 */
export type ChildExitReason =
  /** `keepAlive: 0`: it exited after replying to its one call, as planned. */
  | 'after-call'
  /** `keepAlive` ran out while it was idle. */
  | 'idle'
  /** An idle warm or standby child gave its place to a call waiting under `maxChildren`. */
  | 'made-room'
  /** Retired after a call: `maxCallsPerChild` or `maxChildRss` reached, its call failed, or `configure()` changed its options. */
  | 'recycled'
  /** Its call ran over `timeout` or `attemptTimeout`. */
  | 'timeout'
  /** Its resident set went over its call's `maxRss`. */
  | 'max-rss'
  /** Its call's AbortSignal aborted (killed after `grace` unless it left sooner). */
  | 'abort'
  /** Its stream's consumer stopped (`break`, `return()`) and the generator didn't stop within `grace`. */
  | 'stream-return'
  /** `shutdown()` ended it. */
  | 'shutdown'
  /** It broke the protocol (a malformed or oversized message, another SDK version, a blob file it may not name). */
  | 'protocol-error'
  /** It could not be started. */
  | 'spawn-failed'
  /** The parent is exiting (published only if the parent lives to see it). */
  | 'parent-exit'
  /** Nobody in the parent ended it: it crashed, ran out of memory, called `process.exit()` during a call, or was killed from outside. */
  | 'crash';

/** What `isolated-call:child:spawn` carries: a child process just started. */
export interface ChildSpawnEvent {
  readonly pid: number | undefined;
  /** The method it was started for; undefined for a standby child, which any method with the same child options may take. */
  readonly target: string | undefined;
  /** A standby child, started ahead of a call. */
  readonly standby: boolean;
  /** What runs: node, or `setpriv` wrapping node. */
  readonly execPath: string;
  /** The flags before the child entry. */
  readonly execArgv: readonly string[];
}

/** What `isolated-call:child:exit` carries: a child process is gone and its stderr drained. */
export interface ChildExitEvent {
  readonly pid: number | undefined;
  /** The method whose child it was last; undefined for a standby child no call took. */
  readonly target: string | undefined;
  readonly standby: boolean;
  readonly exitCode: number | null;
  readonly signal: ChildSignal | null;
  /** Why it ended. */
  readonly reason: ChildExitReason;
  /** Calls it ran. */
  readonly calls: number;
}

const spawnChannel = diagnosticsChannel.channel(diagnosticsChannels.childSpawn);
const exitChannel = diagnosticsChannel.channel(diagnosticsChannels.childExit);

/** Publishes a spawn; builds the event only when someone listens. */
export function publishSpawn(event: () => ChildSpawnEvent): void {
  if (spawnChannel.hasSubscribers) spawnChannel.publish(event());
}

/** Publishes an exit; builds the event only when someone listens. */
export function publishExit(event: () => ChildExitEvent): void {
  if (exitChannel.hasSubscribers) exitChannel.publish(event());
}
