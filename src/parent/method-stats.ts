import type { LatencyPercentiles } from './latency-histogram.js';

/** Counters and latencies of one isolated method, as returned by `stats()`. */
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
  /**
   * Time from the call until a child took it (the queue, and waiting under
   * `maxChildren`), over the most recent calls that got a child.
   */
  readonly waitMs: LatencyPercentiles;
  /** The method's own run time in the child, over the most recent calls the child answered (a throw included). */
  readonly runMs: LatencyPercentiles;
}
