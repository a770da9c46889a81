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
