// Not loaded lazily like other built-ins (shared/builtin.ts): Node loads it
// anyway with `net`, which every process with an IPC channel has, parent and child.
import diagnosticsChannel from 'node:diagnostics_channel';

/** The names this SDK publishes under on `node:diagnostics_channel`. */
export const diagnosticsChannels = {
  /** A TracingChannel: `tracing:isolated-call:call:start`, `…:end`, `…:asyncStart`, `…:asyncEnd`, `…:error`. */
  call: 'isolated-call:call',
  /** A child process started: {@link ChildSpawnEvent}. */
  childSpawn: 'isolated-call:child:spawn',
  /** A child process is gone: {@link ChildExitEvent}. */
  childExit: 'isolated-call:child:exit',
} as const;

/**
 * The context object of one call on the `isolated-call:call` TracingChannel.
 * The same object travels through all of the call's events, filled in as the
 * call goes: `target` from `start` on, `pid` once a child took the call, the
 * timings (milliseconds) and `peakRss` (bytes) by `asyncStart`, and `result`
 * or `error` as Node's `tracePromise` sets them.
 */
export interface CallTraceContext {
  /** `Class.method`, `Class.staticMethod` or the function's id. */
  readonly target: string;
  /** The child running (or that last ran) the call; undefined until a child takes it. */
  pid: number | undefined;
  /** From the call to its settlement. */
  totalMs: number;
  /** Waiting for a free child. */
  queueMs: number;
  /** Until a new child was ready; 0 for a warm or standby child. */
  startupMs: number;
  /** The child importing the module; 0 when loaded already. */
  loadMs: number;
  /** The method running in the child. */
  runMs: number;
  /** The child's peak RSS during the call (measured while anyone subscribes); 0 when the child never replied. */
  peakRss: number;
  /** Attempts made; more than 1 only with `retries`. */
  attempts: number;
  /** What the call resolved with (set by `tracePromise`, on `asyncStart`). */
  result?: unknown;
  /** What the call rejected with (set by `tracePromise`, on `error`). */
  error?: unknown;
}

const callChannel = diagnosticsChannel.tracingChannel<unknown, CallTraceContext>(diagnosticsChannels.call);
const { start, end, asyncStart, asyncEnd, error } = callChannel;

/**
 * Whether anyone listens to the call events. Checked before anything is
 * built for them, so calls cost nothing more when nobody does. (Node 20 before
 * 20.13 has no `TracingChannel.hasSubscribers`: the five channels are asked.)
 */
export function isCallTraced(): boolean {
  return start.hasSubscribers || end.hasSubscribers || asyncStart.hasSubscribers || asyncEnd.hasSubscribers || error.hasSubscribers;
}

/** A fresh context for a call of `target`; the timings stay 0 until the call settles. */
export function newCallContext(target: string): CallTraceContext {
  return { target, pid: undefined, totalMs: 0, queueMs: 0, startupMs: 0, loadMs: 0, runMs: 0, peakRss: 0, attempts: 0 };
}

/**
 * Runs `call` (the synchronous part of a call, which returns the call's
 * promise) under Node's `tracePromise`, so the events come in Node's
 * documented order and stores bound to `start` (an APM's active span) are
 * current while the call is handed over: `start`, `end` once `call` returned,
 * then on settlement `error` (on rejection) and `asyncStart`, `asyncEnd`.
 * `call` never throws: every failure is a rejection, so it takes the same path.
 */
export function traceCall(context: CallTraceContext, call: () => Promise<unknown>): Promise<unknown> {
  return callChannel.tracePromise(call, context);
}
