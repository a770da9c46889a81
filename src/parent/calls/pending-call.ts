import { describeThrown } from '../../codec/describe-unsendable.js';
import { encode } from '../../codec/encode.js';
import { discardBlobs } from '../../codec/blobs.js';
import type { Encoded } from '../../codec/tags.js';
import { CallAbortedError } from '../../errors/call-aborted-error.js';
import { CallTimeoutError } from '../../errors/call-timeout-error.js';
import type { CallInfo } from '../../contracts/call-info.js';
import { blobDirectory } from '../../codec/blobs.js';
import { abortMessage, callMessage } from '../../protocol/build-messages.js';
import type { CallMessage, ChildCallStats } from '../../protocol/messages.js';
import type { ChannelMemory } from '../../protocol/build-messages.js';
import type { StreamLimits } from '../../protocol/stream-messages.js';
import type { CallJob } from './call-job.js';
import { CallbackHost } from './callback-host.js';
import { packEncoded } from '../../protocol/wire-value.js';
import type { PoolChild } from '../pool/pool-child.js';
import { targetIdOf } from './target-ids.js';

/** The measured part of a call's report, shared by `onCallEnd` and the tracing context. */
type CallTimings = Pick<CallInfo, 'pid' | 'totalMs' | 'queueMs' | 'startupMs' | 'loadMs' | 'runMs' | 'peakRss' | 'attempts'>;

/**
 * How a call settled. A failure is told by its key, not by its value: a
 * method may throw `undefined`, and the call must then reject with it.
 */
export type CallOutcome = { readonly error: unknown } | { readonly value: unknown };

/**
 * How a call ends before its child replies: the pool takes the child back.
 * Without an error, the call resolves (with `undefined`): a stream whose
 * consumer stopped it, and whose generator didn't stop within `grace`.
 */
export type EarlyEnd = (call: PendingCall, error: Error | undefined, killNow: boolean) => void;

/**
 * One call from the moment it is queued until it settles: its deadline and
 * abort signals, the attempt it is on, and its one settlement, reported to
 * `onCallEnd`.
 */
export class PendingCall {
  attempts = 0;
  /** Attempts that don't count against `retries`: their child died before `ready` on a code cache (method-pool.ts). */
  freeAttempts = 0;
  settled = false;
  /** The child running the current attempt; cleared when the attempt ends, as the child may move on. */
  child: PoolChild | undefined;
  /** The pid of the last child the call ran on, for errors and `onCallEnd`. */
  pid: number | undefined;
  /** The id of the current attempt's message. */
  messageId = 0;
  queueMs = 0;
  startupMs = 0;
  stats: ChildCallStats | undefined;
  /** Runs the functions of the arguments when the child calls them back; one per call, across its attempts. */
  readonly callbacks: CallbackHost | undefined;
  private unwatch: (() => void) | undefined;
  private attemptTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly job: CallJob,
    private readonly resolve: (value: unknown) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.callbacks = job.callbacks ? new CallbackHost(job.callbacks) : undefined;
  }

  /** Timeout and abort apply from the call on, whether it is queued or running. */
  watch(timeout: number, end: EarlyEnd): void {
    const { label, signals, startedAt } = this.job;
    const timer =
      timeout > 0
        ? setTimeout(
            () => end(this, new CallTimeoutError(label, timeout, this.child?.pid), true),
            timeout - (performance.now() - startedAt),
          )
        : undefined;
    const listeners = signals.map((signal, index) => {
      const onAbort = () => {
        // The child's own signal fires too, so its abort listeners can clean up in the grace period.
        this.child?.notify(abortMessage(this.messageId, index, encodeReason(signal.reason)));
        end(this, new CallAbortedError(label, signal.reason, this.child?.pid), false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      return () => signal.removeEventListener('abort', onAbort);
    });
    this.unwatch = () => {
      if (timer) clearTimeout(timer);
      for (const remove of listeners) remove();
    };
  }

  /**
   * The message of the current attempt. `lastAttempt`: no retry can follow,
   * so the child may delete the argument files as soon as it has them open.
   */
  message(
    id: number,
    flags: { exitAfter: boolean; measure: boolean; lastAttempt: boolean; stream?: StreamLimits | undefined },
    channel: ChannelMemory,
  ): CallMessage {
    this.messageId = id;
    if (this.attempts === 1) this.queueMs = performance.now() - this.job.startedAt;
    const { target, self, args, signals } = this.job;
    const { exitAfter, measure, lastAttempt } = flags;
    const blobDir = this.job.inline ? '' : blobDirectory();
    const targetId = targetIdOf(target);
    const { stream } = flags;
    return callMessage(
      { id, targetId, target, self, args, signals: signals.length, exitAfter, measure, consumeArgs: lastAttempt, stream },
      blobDir,
      channel,
    );
  }

  /** What the child measured; `startupMs` is 0 for a child that was already running. */
  recordStats(stats: ChildCallStats, startupMs: number): void {
    this.stats = stats;
    if (startupMs > 0) this.startupMs = startupMs;
  }

  /** An attempt got its child: `attemptTimeout` counts from now. */
  startAttempt(child: PoolChild, attemptTimeout: number, end: EarlyEnd): void {
    this.attempts++;
    this.child = child;
    this.pid = child.pid;
    if (this.job.trace) this.job.trace.pid = child.pid;
    if (attemptTimeout > 0) {
      this.attemptTimer = setTimeout(
        () => end(this, new CallTimeoutError(this.job.label, attemptTimeout, child.pid, 'attemptTimeout'), true),
        attemptTimeout,
      );
    }
  }

  /** The attempt's child is done with it (replied, died, or was ended): the child may move on. */
  endAttempt(): void {
    this.child = undefined;
    clearTimeout(this.attemptTimer);
    this.attemptTimer = undefined;
  }

  /** Settles the call once; later results of the same call are ignored. */
  settle(outcome: CallOutcome, onCallEnd: ((info: CallInfo) => void) | undefined): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.unwatch?.();
    this.callbacks?.close();
    // Large arguments sent beside the message: no attempt will read them again.
    discardBlobs(this.job.args.f);
    discardBlobs(this.job.self?.f);
    // Filled before the promise settles: the tracing channel's asyncStart reads them.
    if (this.job.trace) Object.assign(this.job.trace, this.timings());
    if ('error' in outcome) this.reject(outcome.error);
    else this.resolve(outcome.value);
    if (onCallEnd) this.report(onCallEnd, outcome);
    return true;
  }

  /** The call's timings and peak RSS, as `onCallEnd` and the tracing channel report them. */
  timings(): CallTimings {
    return {
      pid: this.pid,
      totalMs: performance.now() - this.job.startedAt,
      queueMs: this.queueMs,
      startupMs: this.startupMs,
      loadMs: this.stats?.loadMs ?? 0,
      runMs: this.stats?.runMs ?? 0,
      peakRss: this.stats?.peakRss ?? 0,
      attempts: this.attempts,
    };
  }

  private report(hook: (info: CallInfo) => void, outcome: CallOutcome): void {
    const info: CallInfo = {
      target: this.job.label,
      ok: !('error' in outcome),
      ...('error' in outcome ? { error: outcome.error } : {}),
      ...this.timings(),
    };
    try {
      hook(info);
    } catch (hookError) {
      process.emitWarning(`isolated-call: the onCallEnd hook threw: ${String(hookError)}`);
    }
  }
}

/** The abort reason crosses like any value; one that can't is sent as its text, never failing the abort. */
function encodeReason(reason: unknown): Encoded {
  try {
    return packEncoded(encode(reason, 'reason'));
  } catch {
    return { v: describeThrown(reason), t: false }; // never throws, whatever getters the reason has
  }
}
