/**
 * An in-process child for the scheduler's unit tests, behind the pool's own
 * child interface (pool-child.ts): no process, but it answers with the
 * protocol messages a real child sends (build-messages.ts), and each goes
 * through a JSON round trip (the IPC channel's serialization) and the
 * parent's one gate (routeChildMessage, parseChildMessage) to the call it
 * names. It ends as a real child does: after an `exitAfter` call, when
 * retired (its channel closes), when killed; and its exit fails what is
 * pending on it with the error a real exit gives (exitError).
 */
import { encode } from '../../codec/encode.js';
import type { ChildExit } from '../../errors/child-exited-error.js';
import { callbackMessage, errorMessage, readyMessage, resultMessage } from '../../protocol/build-messages.js';
import type { CallMessage, ChildCallStats, ErrorMessage, ParentMessage } from '../../protocol/messages.js';
import { packEncoded } from '../../protocol/wire-value.js';
import type { ChildExitReason } from '../children/child-events.js';
import { routeChildMessage } from '../children/route-child-message.js';
import { exitError } from '../children/child-process.js';
import { PendingReplies, type Pending } from '../calls/pending-replies.js';
import type { PoolChild, SpawnChild } from './pool-child.js';
import { protocolFailureError } from '../children/protocol-failure.js';

/** The real setImmediate, whatever fake timers a test installs: the fake child's own turns of its event loop. */
const childTurn = globalThis.setImmediate;
/** Fake pids, far above any real one. */
let nextPid = 9_000_000;

/** Stderr of a child V8 ended for running out of heap (what child-process.ts recognises). */
export const OOM_STDERR = 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory';

/** One call as the fake child runs it. */
export interface FakeCall {
  /** The call message as the child received it (after the JSON round trip). */
  readonly message: CallMessage;
  /** The arguments as sent (plain data arrives as it is; tagged nodes are left encoded). */
  readonly args: unknown[];
  readonly child: FakeChild;
  /** Aborted when the parent sends an abort for this call (the child's copy of the signal). */
  readonly signal: AbortSignal;
  /** What the reply's stats report; a method may change them (`peakRss` for `maxChildRss`). */
  readonly stats: { loadMs: number; runMs: number; peakRss: number };
  /** Calls function `index` of the arguments, as a stub in a real child does; settles with the parent's answer. */
  callBack(index: number, ...args: unknown[]): Promise<unknown>;
}

/**
 * What the fake child does with a call: its value becomes the `result`
 * reply, what it throws the `run` error reply. To do anything else (crash,
 * send a broken message, never answer), use `call.child` and return `hang()`.
 */
export type FakeMethod = (call: FakeCall) => unknown;

/** A promise that never settles: the method never returns. */
export function hang(): Promise<never> {
  return new Promise(() => {});
}

/** Lets the fake children's turns and every promise they settle run (`turns` rounds). */
export async function flush(turns = 8): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => childTurn(resolve));
}

export class FakeChild implements PoolChild {
  readonly pid = nextPid++;
  readonly spawnedAt = performance.now();
  readyAt: number | undefined;
  calls = 0;
  lastPeakRss = 0;
  ending = false;
  diedOnCodeCache = false;
  exit: ChildExit | undefined;
  endReason: ChildExitReason | undefined;
  /** Every message the parent sent it, in order. */
  readonly received: ParentMessage[] = [];
  /** Whether it holds the parent's event loop now. */
  referenced = true;
  /** Stays after an `exitAfter` call and when its channel closes, as a child whose event loop something holds. */
  lingers = false;
  private connected = true;
  private killed = false;
  private readonly knownTargets = new Set<number>();
  /** What it was told already (the parent's ChildSender keeps the same). */
  readonly channel = {
    knowsTarget: (targetId: number) => this.knownTargets.has(targetId),
    blobDir: undefined as string | undefined,
  };
  private readonly pending = new PendingReplies(() => this.setReferenced(false));
  private readonly aborts = new Map<number, AbortController>();
  /** Callback calls waiting for the parent's answer, by call id and seq. */
  private readonly answers = new Map<string, { resolve(value: unknown): void; reject(error: unknown): void }>();
  private seq = 0;
  private readonly exitWaiters: (() => void)[] = [];

  constructor(
    readonly preload: boolean,
    public target: string | undefined,
    private readonly heapLimitMb: number | undefined,
    private readonly onExit: (child: PoolChild) => void,
    private readonly method: () => FakeMethod,
  ) {
    childTurn(() => this.send(readyMessage()));
  }

  get alive(): boolean {
    return this.exit === undefined && this.connected;
  }

  request(message: CallMessage, pending: Pending): void {
    if (this.exit) {
      pending.reject(exitError(this.exit, this.heapLimitMb, pending.label));
      return;
    }
    this.calls++;
    this.pending.add(message.id, pending);
    this.setReferenced(true);
    if (message.target) this.knownTargets.add(message.targetId);
    if (message.blobDir !== undefined) this.channel.blobDir = message.blobDir;
    this.received.push(message);
    const copy = JSON.parse(JSON.stringify(message)) as CallMessage;
    childTurn(() => this.run(copy));
  }

  notify(message: ParentMessage): void {
    this.received.push(message);
    if (message.type === 'abort' && !this.exit) childTurn(() => this.aborts.get(message.id)?.abort(message.reason.v));
    if (message.type === 'callback-result' || message.type === 'callback-error') {
      const waiting = this.answers.get(`${message.id}:${message.seq}`);
      this.answers.delete(`${message.id}:${message.seq}`);
      if (message.type === 'callback-result') waiting?.resolve(message.value.v);
      else waiting?.reject(message.error.v);
    }
  }

  forget(id: number): void {
    this.pending.take(id);
  }

  kill(_why?: string, reason?: ChildExitReason): void {
    this.ending = true;
    if (reason !== undefined && this.exit === undefined) this.endReason = reason;
    if (this.killed) return;
    this.killed = true;
    childTurn(() => this.end(null, 'SIGKILL'));
  }

  retire(grace: number, reason: ChildExitReason): void {
    this.endReason ??= reason;
    this.ending = true;
    // A real child leaves when its channel closes.
    if (this.connected) {
      this.connected = false;
      if (!this.lingers) childTurn(() => this.end(0, null));
    }
    this.killAfter(grace, reason);
  }

  killAfter(ms: number, reason: ChildExitReason): void {
    this.endReason ??= reason;
    this.ending = true;
    this.setReferenced(false);
    if (this.exit || ms === Infinity) return;
    setTimeout(() => {
      if (!this.exit) this.kill(`still alive ${ms} ms after its call ended`);
    }, ms).unref();
  }

  setReferenced(on: boolean): void {
    if (!this.exit) this.referenced = on;
  }

  exited(): Promise<void> {
    return this.exit ? Promise.resolve() : new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /** The child ends by itself: a crash, `process.exit()`, out of memory (stderr {@link OOM_STDERR}). */
  crash(exitCode: number | null = 1, signal: NodeJS.Signals | null = null, stderr = ''): void {
    childTurn(() => this.end(exitCode, signal, stderr));
  }

  /** Writes anything on its channel, as a subverted child could; it goes through the parent's gate. */
  send(message: unknown): void {
    if (this.exit || !this.connected) return;
    routeChildMessage(JSON.parse(JSON.stringify(message)), {
      pid: this.pid,
      pending: this.pending,
      ready: () => {
        this.readyAt ??= performance.now();
      },
      output: () => {},
      // As open-channel.ts: the call named (or every call) fails, and the child is ended.
      protocolFailure: (reason, id, hint = 'subverted') => {
        const error = protocolFailureError(this.pid, reason, hint);
        this.kill(`protocol error: ${reason}`, 'protocol-error');
        const call = id === undefined ? undefined : this.pending.take(id);
        if (call) call.reject(error);
        else this.pending.rejectAll(error);
      },
    });
  }

  /** Runs a call as the child's loop would, and replies. */
  private async run(message: CallMessage): Promise<void> {
    if (this.exit) return;
    const controller = new AbortController();
    this.aborts.set(message.id, controller);
    const stats = { loadMs: 0, runMs: 1, peakRss: 0 };
    const callBack = (index: number, ...args: unknown[]) =>
      new Promise((resolve, reject) => {
        const seq = ++this.seq;
        this.answers.set(`${message.id}:${seq}`, { resolve, reject });
        this.send(callbackMessage(message.id, index, seq, encode(args, 'args')));
      });
    const call: FakeCall = { message, args: message.args.v as unknown[], child: this, signal: controller.signal, stats, callBack };
    let reply: unknown;
    try {
      const value = await this.method()(call);
      reply = resultMessage(message.id, encode(value, 'result'), stats);
    } catch (thrown) {
      reply = thrownReply(message.id, thrown, stats);
    }
    this.aborts.delete(message.id);
    this.send(reply);
    if (message.exitAfter && !this.lingers) childTurn(() => this.end(0, null));
  }

  /** The child is gone: as ChildHandle's finish(), without a process. */
  private end(exitCode: number | null, signal: NodeJS.Signals | null, stderr = ''): void {
    if (this.exit) return;
    this.connected = false;
    this.exit = { pid: this.pid, exitCode, signal, stderr };
    this.endReason ??= 'crash';
    const exit = this.exit;
    this.pending.rejectAll((pending) => exitError(exit, this.heapLimitMb, pending.label));
    for (const waiter of this.exitWaiters.splice(0)) waiter();
    this.onExit(this);
  }
}

function thrownReply(id: number, thrown: unknown, stats: ChildCallStats): ErrorMessage {
  return errorMessage({ id, stats, phase: 'run', error: packEncoded(encode(thrown, 'error', { thrown: true })) });
}

/** The children a pool started through {@link FakeChildren.spawn}, all running `method`. */
export class FakeChildren {
  readonly started: FakeChild[] = [];

  constructor(public method: FakeMethod) {}

  readonly spawn: SpawnChild = (_command, heapLimitMb, preload, onExit, target) => {
    const child = new FakeChild(preload, target, heapLimitMb, onExit, () => this.method);
    this.started.push(child);
    return child;
  };

  /** The children not gone yet. */
  get live(): FakeChild[] {
    return this.started.filter((child) => child.exit === undefined);
  }
}
