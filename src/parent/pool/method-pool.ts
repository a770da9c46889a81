import { CallTimeoutError } from '../../errors/call-timeout-error.js';
import { QueueFullError } from '../../errors/queue-full-error.js';
import { SerializationError } from '../../errors/serialization-error.js';
import { ShutdownError } from '../../errors/shutdown-error.js';
import type { ResolvedOptions } from '../../options/table.js';
import { interpretOutcome, plainResult, retriable } from '../calls/attempt-outcome.js';
import type { CallJob } from '../calls/call-job.js';
import type { ChildCommand } from '../children/child-command.js';
import type { ChildReply } from '../calls/pending-replies.js';
import { hasRoom, mayStartChild, registry, spawnChildProcess, startChild, type OwnedPool } from './child-registry.js';
import { MethodCounters, type MethodStats } from './method-stats.js';
import { CallQueue } from './call-queue.js';
import { dispatchAttempt } from '../calls/dispatch-attempt.js';
import { PendingCall, type CallOutcome } from '../calls/pending-call.js';
import type { PoolChild, SpawnChild } from './pool-child.js';
import { ensureStandby, takeStandby } from './standby.js';
import { WarmChildren } from './warm-children.js';

/**
 * The calls of one isolated method: the queue in call order, concurrency,
 * which child runs each attempt (warm, standby or new), and retries. A call's
 * own deadline and settlement are in pending-call.ts, warm reuse in
 * warm-children.ts, the process-wide cap in child-registry.ts.
 */
export class MethodPool implements OwnedPool {
  private readonly queue = new CallQueue();
  private readonly warm: WarmChildren;
  /** This method's children alive now, busy, idle or exiting. */
  private readonly children = new Set<PoolChild>();
  private running = 0;
  private readonly counters = new MethodCounters();
  private closed = false;
  private readonly pumpBound = () => this.pump();
  private readonly endEarlyBound = (call: PendingCall, error: Error | undefined, killNow: boolean) => this.endEarly(call, error, killNow);

  /** @param spawn How a child starts: a real process unless a unit test hands the pool a fake. */
  constructor(
    public label: string,
    public options: ResolvedOptions,
    public command: ChildCommand,
    private readonly spawn: SpawnChild = spawnChildProcess,
  ) {
    this.warm = new WarmChildren(options, command);
    registry().pools.add(this);
  }

  /** False once `shutdown()` closed the pool; the method's next call makes a new one. */
  get open(): boolean {
    return !this.closed;
  }

  /** Takes the options `configure()` changed: the counters and the queue carry on. */
  reconfigure(label: string, options: ResolvedOptions, command: ChildCommand): this {
    this.label = label;
    this.options = options;
    this.command = command;
    this.warm.reconfigure(options, command);
    return this;
  }

  run(job: CallJob): Promise<unknown> {
    this.counters.calls++;
    return new Promise((resolve, reject) => {
      const call = new PendingCall(job, resolve, reject);
      if (this.closed) return this.settle(call, { error: new ShutdownError(job.label) });
      call.watch(this.options.timeout, this.endEarlyBound);
      this.queue.push(call);
      this.pump();
      // Still waiting after the pump, with the queue over its bound: refuse it now.
      if (this.queue.length > this.options.maxQueue && this.queue.last() === call) {
        this.queue.remove(call);
        this.settle(call, { error: new QueueFullError(job.label, this.options.maxQueue) });
      }
    });
  }

  stats(): MethodStats {
    return this.counters.stats(this.label, this.queue.length, this.running, this.children.size);
  }

  /** Starts the standby child (or, with keepAlive, one warm child) ahead of the first call. */
  warmUp(): void {
    if (this.options.standby) ensureStandby(this.spawn, this.command, this.options.maxOldSpaceSize);
    else if (this.options.keepAlive > 0 && this.children.size === 0 && hasRoom())
      this.warm.keep(this.adopt(startChild(this.spawn, this.command, this.options.maxOldSpaceSize, this.label)));
  }

  /** Rejects queued calls, ends idle children; running calls finish unless `force`. */
  close(force: boolean): Promise<void>[] {
    this.closed = true;
    registry().pools.delete(this);
    for (const call of this.queue.drain()) this.settle(call, { error: new ShutdownError(call.job.label) });
    this.warm.retireAll();
    return [...this.children].map((child) => {
      if (force) child.kill('shutdown({ force: true })', 'shutdown');
      return child.exited();
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.running < this.options.concurrency) {
      // A retry runs on a fresh child: a warm one may hold the state that made the last attempt crash.
      let child = this.queue.peek()!.attempts === 0 ? this.warm.take() : undefined;
      let startup = false;
      if (!child) {
        child = takeStandby(this.command);
        if (!child) {
          if (!mayStartChild(this.pumpBound)) break;
          child = startChild(this.spawn, this.command, this.options.maxOldSpaceSize, this.label);
          startup = true;
        }
        this.adopt(child);
      }
      this.start(this.queue.shift()!, child, startup);
    }
    this.queue.holdWhileWaiting();
  }

  private start(call: PendingCall, child: PoolChild, startup: boolean): void {
    this.running++;
    dispatchAttempt(call, child, this.options, this.endEarlyBound, {
      reply: (reply) => this.onReply(call, child, reply, startup),
      failure: (error) => this.onChildFailure(call, child, error),
      unsendable: (error) => {
        this.endAttempt(call, child, true);
        this.settle(call, { error: new SerializationError('args', `Node could not serialize it (${error.message})`, { cause: error }) });
      },
    });
  }

  private onReply(call: PendingCall, child: PoolChild, reply: ChildReply, startup: boolean): void {
    child.lastPeakRss = reply.stats.peakRss;
    call.recordStats(reply.stats, startup && child.readyAt !== undefined ? child.readyAt - child.spawnedAt : 0);
    this.endAttempt(call, child, true);
    if (plainResult(call, reply)) this.settle(call, { value: reply.value.v });
    else void interpretOutcome(call, child, reply, (outcome) => this.settle(call, outcome));
  }

  private onChildFailure(call: PendingCall, child: PoolChild, error: Error): void {
    this.endAttempt(call, child, false);
    if (!this.closed && retriable(call, child, error, this.options.retries)) {
      this.queue.pushFront(call);
      this.pump();
    } else this.settle(call, { error });
  }

  /** Ends a call before its reply (timeout, abort, a stuck stream's return): its child is killed now, or after the grace period. */
  private endEarly(call: PendingCall, error: Error | undefined, killNow: boolean): void {
    if (call.settled) return;
    const child = call.child;
    if (child) {
      child.forget(call.messageId);
      const reason = !error ? 'stream-return' : error instanceof CallTimeoutError ? 'timeout' : 'abort';
      if (killNow) child.kill(`${call.job.label}: ${error?.message ?? 'its generator did not stop within grace of return()'}`, reason);
      else child.killAfter(this.options.grace, reason);
      this.endAttempt(call, child, false);
    } else {
      this.queue.remove(call);
    }
    // A stream ends now, not a few promise hops later: values received meanwhile are dropped, never taken after the abort.
    if (error) call.job.stream?.end({ error });
    this.settle(call, error ? { error } : { value: undefined });
  }

  /** The child's part in an attempt is over: keep it warm, or let it go; then serve the queue. */
  private endAttempt(call: PendingCall, child: PoolChild, healthy: boolean): void {
    call.endAttempt();
    this.running--;
    if (this.options.keepAlive === 0)
      child.killAfter(this.options.grace, 'after-call'); // it exits by itself right after replying
    else if (healthy && !this.closed && this.warm.mayKeep(child)) this.warm.keep(child);
    else this.warm.retire(child, this.closed ? 'shutdown' : 'recycled');
    if (this.options.standby && !this.closed) ensureStandby(this.spawn, this.command, this.options.maxOldSpaceSize);
    this.pump();
  }

  private adopt(child: PoolChild): PoolChild {
    child.target = this.label; // a standby child becomes this method's
    this.children.add(child);
    this.warm.adopt(child);
    void child.exited().then(() => this.children.delete(child));
    return child;
  }

  private settle(call: PendingCall, outcome: CallOutcome): void {
    if (call.settle(outcome, this.options.onCallEnd)) this.counters.record(call, 'error' in outcome);
  }
}
