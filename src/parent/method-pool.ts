import { debuglog } from 'node:util';
import { encode } from '../codec/encode.js';
import { blobDirectory, discardBlobs, discardReplyBlobs } from '../codec/side-channel.js';
import type { Encoded } from '../codec/tags.js';
import { CallAbortedError } from '../errors/call-aborted-error.js';
import { CallTimeoutError } from '../errors/call-timeout-error.js';
import { ChildExitedError, ChildOutOfMemoryError } from '../errors/child-exited-error.js';
import { ShutdownError } from '../errors/shutdown-error.js';
import type { CallInfo, ResolvedOptions } from '../options.js';
import { abortMessage, callMessage, type ChildCallStats } from '../protocol.js';
import { globalState } from '../shared/global-state.js';
import type { CallJob } from './call-job.js';
import type { ChildCommand } from './child-command.js';
import { ChildHandle, type ChildReply } from './child-handle.js';
import { hasRoom, markBusy, markIdle, mayStartChild } from './live-children.js';
import { interpretReply } from './reply.js';
import { ensureStandby, takeStandby } from './standby.js';

const debug = debuglog('isolated-call');
const MB = 1024 * 1024;
let nextMessageId = 1;

/** Counters of one isolated method, as returned by `stats()`. */
export interface MethodStats {
  /** `Class.method` or the function's id. */
  readonly target: string;
  /** Calls made (each retry counts once more in `attempts` only). */
  readonly calls: number;
  /** Calls that rejected, for any reason. */
  readonly failures: number;
  /** Calls waiting for a free child. */
  readonly queued: number;
  /** Calls running in a child now. */
  readonly running: number;
  /** Children of this method alive now (busy, idle or exiting). */
  readonly alive: number;
}

/** A call from the moment it is queued until it settles. */
interface Call {
  readonly job: CallJob;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  attempts: number;
  settled: boolean;
  child: ChildHandle | undefined;
  messageId: number;
  queueMs: number;
  startupMs: number;
  stats: ChildCallStats | undefined;
  cleanup: (() => void) | undefined;
}

/**
 * The children of one isolated method and the calls waiting for them: order,
 * concurrency, reuse (keepAlive), standby, retries, timeouts and abort.
 */
export class MethodPool {
  private readonly queue: Call[] = [];
  private readonly idle: ChildHandle[] = [];
  private readonly idleTimers = new Map<ChildHandle, NodeJS.Timeout>();
  private readonly children = new Set<ChildHandle>();
  private running = 0;
  private calls = 0;
  private failures = 0;
  private closed = false;
  private readonly pumpBound = () => this.pump();
  /** The command each child was started with: one started before configure() changed it isn't kept warm. */
  private readonly commandKeys = new WeakMap<ChildHandle, string>();

  constructor(
    public label: string,
    public options: ResolvedOptions,
    public command: ChildCommand,
  ) {}

  /** Whether children must report each call's peak RSS (it costs more than a warm round trip). */
  private get measuresRss(): boolean {
    return this.options.onCallEnd !== undefined || this.options.maxChildRss !== Infinity;
  }

  /** False once `shutdown()` closed the pool; the method's next call makes a new one. */
  get open(): boolean {
    return !this.closed;
  }

  /**
   * Takes the options `configure()` changed: the counters and the queue carry
   * on. Idle children started with another command (flags, env) are retired
   * rather than orphaned where `shutdown()` couldn't reach them.
   */
  reconfigure(label: string, options: ResolvedOptions, command: ChildCommand): this {
    this.label = label;
    this.options = options;
    this.command = command;
    for (const child of [...this.idle]) {
      if (options.keepAlive === 0 || this.commandKeys.get(child) !== command.key) this.dropIdle(child);
    }
    return this;
  }

  run(job: CallJob): Promise<unknown> {
    this.calls++;
    return new Promise((resolve, reject) => {
      const call: Call = {
        job, resolve, reject, attempts: 0, settled: false, child: undefined, messageId: 0,
        queueMs: 0, startupMs: 0, stats: undefined, cleanup: undefined,
      };
      if (this.closed) return this.settle(call, new ShutdownError(job.label));
      this.watch(call);
      this.queue.push(call);
      this.pump();
    });
  }

  stats(): MethodStats {
    return { target: this.label, calls: this.calls, failures: this.failures, queued: this.queue.length, running: this.running, alive: this.children.size };
  }

  /** Starts the standby child (or, with keepAlive, one warm child) ahead of the first call. */
  warmUp(): void {
    if (this.options.standby) ensureStandby(this.command, this.options.maxOldSpaceSize);
    else if (this.options.keepAlive > 0 && this.children.size === 0 && hasRoom(globalState().maxChildren)) {
      this.makeIdle(this.adopt(new ChildHandle(this.command, this.options.maxOldSpaceSize)));
    }
  }

  /** Rejects queued calls, ends idle children; running calls finish unless `force`. */
  close(force: boolean): Promise<void>[] {
    this.closed = true;
    for (const call of this.queue.splice(0)) this.settle(call, new ShutdownError(call.job.label));
    for (const child of this.idle.splice(0)) this.retire(child);
    const waits: Promise<void>[] = [];
    for (const child of this.children) {
      if (force) child.kill('shutdown({ force: true })');
      waits.push(child.exited());
    }
    return waits;
  }

  /** Timeout and abort apply from the call on, whether it is queued or running. */
  private watch(call: Call): void {
    const { timeout } = this.options;
    const { label, signals } = call.job;
    const timer =
      timeout > 0
        ? setTimeout(() => this.fail(call, new CallTimeoutError(label, timeout, call.child?.pid), true), timeout - (performance.now() - call.job.startedAt))
        : undefined;
    const listeners = signals.map((signal, index) => {
      const onAbort = () => {
        if (call.child && !call.settled) {
          call.child.notify(abortMessage(call.messageId, index, encodeReason(signal.reason)));
        }
        this.fail(call, new CallAbortedError(label, signal.reason, call.child?.pid), false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      return () => signal.removeEventListener('abort', onAbort);
    });
    call.cleanup = () => {
      if (timer) clearTimeout(timer);
      for (const remove of listeners) remove();
    };
  }

  private pump(): void {
    while (this.queue.length > 0 && this.running < this.options.concurrency) {
      // A retry runs on a fresh child: a warm one may hold the state that made the last attempt crash.
      let child = this.queue[0]!.attempts === 0 ? this.takeIdle() : undefined;
      let startup = false;
      if (!child) {
        child = takeStandby(this.command);
        if (!child) {
          if (!mayStartChild(globalState().maxChildren, this.pumpBound)) return;
          child = new ChildHandle(this.command, this.options.maxOldSpaceSize);
          startup = true;
        }
        this.adopt(child);
      }
      this.start(this.queue.shift()!, child, startup);
    }
  }

  private start(call: Call, child: ChildHandle, startup: boolean): void {
    this.running++;
    call.attempts++;
    call.child = child;
    call.messageId = nextMessageId++;
    if (call.attempts === 1) call.queueMs = performance.now() - call.job.startedAt;
    const { job } = call;
    debug('%s: call %d (attempt %d) on child pid %d, module %s', job.label, call.messageId, call.attempts, child.pid, job.target.module);
    child
      .request(
        callMessage(
          {
            id: call.messageId, target: job.target, self: job.self, args: job.args, signals: job.signals.length,
            exitAfter: this.options.keepAlive === 0, measure: this.measuresRss,
            // No retry can follow this attempt: the child may delete the argument files once open.
            consumeArgs: call.attempts > this.options.retries,
          },
          blobDirectory(),
        ),
      )
      .then(
        (reply) => this.onReply(call, child, reply, startup),
        (error: unknown) => this.onChildFailure(call, child, error),
      );
  }

  private async onReply(call: Call, child: ChildHandle, reply: ChildReply, startup: boolean): Promise<void> {
    child.lastPeakRss = reply.stats.peakRss;
    call.stats = reply.stats;
    if (startup && child.readyAt !== undefined) call.startupMs = child.readyAt - child.spawnedAt;
    this.release(child, true);
    try {
      if (call.settled) return;
      const value = await interpretReply(reply, call.job, child.pid);
      this.settle(call, undefined, value);
    } catch (error) {
      this.settle(call, error);
    } finally {
      discardReplyBlobs(reply);
    }
  }

  private onChildFailure(call: Call, child: ChildHandle, error: unknown): void {
    this.release(child, false);
    if (call.settled) return;
    const crashed = error instanceof ChildExitedError && !(error instanceof ChildOutOfMemoryError);
    if (crashed && call.attempts <= this.options.retries && !this.closed) {
      call.child = undefined;
      this.queue.unshift(call);
      this.pump();
      return;
    }
    this.settle(call, error);
  }

  /** Ends a call early (timeout, abort): its child is killed now, or after the grace period. */
  private fail(call: Call, error: Error, killNow: boolean): void {
    if (call.settled) return;
    const child = call.child;
    if (child) {
      if (killNow) child.kill(`${call.job.label}: ${error.message}`);
      else child.killAfter(this.options.grace);
      child.forget(call.messageId, error);
    } else {
      const index = this.queue.indexOf(call);
      if (index !== -1) this.queue.splice(index, 1);
    }
    this.settle(call, error);
  }

  /** The child's part in a call is over: keep it warm, or let it go. */
  private release(child: ChildHandle, healthy: boolean): void {
    this.running--;
    const { keepAlive, maxCallsPerChild, maxChildRss, grace, standby } = this.options;
    if (keepAlive === 0) {
      child.killAfter(grace); // it exits by itself right after replying
    } else if (
      healthy && child.alive && !child.ending && !this.closed && this.commandKeys.get(child) === this.command.key &&
      child.calls < maxCallsPerChild && child.lastPeakRss <= maxChildRss * MB
    ) {
      this.makeIdle(child);
    } else {
      this.retire(child);
    }
    if (standby && !this.closed) ensureStandby(this.command, this.options.maxOldSpaceSize);
    this.pump();
  }

  private makeIdle(child: ChildHandle): void {
    child.setReferenced(false);
    this.idle.push(child);
    markIdle(child, () => this.dropIdle(child));
    this.idleTimers.set(
      child,
      setTimeout(() => this.dropIdle(child), this.options.keepAlive).unref(),
    );
  }

  /** Ends an idle child: its keepAlive ran out, or another call needs its place under maxChildren. */
  private dropIdle(child: ChildHandle): void {
    const index = this.idle.indexOf(child);
    if (index !== -1) this.idle.splice(index, 1);
    this.retire(child);
  }

  private takeIdle(): ChildHandle | undefined {
    let child: ChildHandle | undefined;
    while ((child = this.idle.pop()) !== undefined) {
      clearTimeout(this.idleTimers.get(child));
      this.idleTimers.delete(child);
      markBusy(child);
      if (child.alive && !child.ending) return child;
    }
    return undefined;
  }

  private retire(child: ChildHandle): void {
    clearTimeout(this.idleTimers.get(child));
    this.idleTimers.delete(child);
    markBusy(child);
    child.retire(this.options.grace);
  }

  private adopt(child: ChildHandle): ChildHandle {
    this.children.add(child);
    this.commandKeys.set(child, this.command.key);
    void child.exited().then(() => this.children.delete(child));
    return child;
  }

  private settle(call: Call, error: unknown, value?: unknown): void {
    if (call.settled) return;
    call.settled = true;
    call.cleanup?.();
    // Large arguments sent beside the message: no attempt will read them again.
    discardBlobs(call.job.args.f);
    discardBlobs(call.job.self?.f);
    if (error !== undefined) {
      this.failures++;
      call.reject(error);
    } else {
      call.resolve(value);
    }
    const hook = this.options.onCallEnd;
    if (hook) report(hook, call, error);
  }
}

function report(hook: (info: CallInfo) => void, call: Call, error: unknown): void {
  const info: CallInfo = {
    target: call.job.label,
    pid: call.child?.pid,
    ok: error === undefined,
    ...(error === undefined ? {} : { error }),
    totalMs: performance.now() - call.job.startedAt,
    queueMs: call.queueMs,
    startupMs: call.startupMs,
    loadMs: call.stats?.loadMs ?? 0,
    runMs: call.stats?.runMs ?? 0,
    peakRss: call.stats?.peakRss ?? 0,
    attempts: call.attempts,
  };
  try {
    hook(info);
  } catch (hookError) {
    process.emitWarning(`isolated-call: the onCallEnd hook threw: ${String(hookError)}`);
  }
}

/** The abort reason crosses like any value; one that can't is sent as its text, never failing the abort. */
function encodeReason(reason: unknown): Encoded {
  try {
    return encode(reason, 'reason');
  } catch {
    return { v: String(reason), t: false };
  }
}
