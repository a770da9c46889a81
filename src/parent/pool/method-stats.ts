import { type LatencyPercentiles, LatencyWindow } from './latency-window.js';
import type { PendingCall } from '../calls/pending-call.js';

/** Counters and latencies of one isolated method, as returned by `stats()`. */
export interface MethodStats {
  /** `Class.method` or the function's id. */
  readonly target: string;
  /** Calls made (each retry counts once more in `attempts` only). */
  readonly calls: number;
  /** Calls that rejected once they reached the method's queue (an argument that can't cross fails before, uncounted). */
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

/** What a method's pool counts for `stats()`: calls, failures, and the latest wait and run times. */
export class MethodCounters {
  calls = 0;
  private failures = 0;
  private readonly waitTimes = new LatencyWindow();
  private readonly runTimes = new LatencyWindow();

  /** A call settled (once): a failure counts, and its wait and run times if it got that far. */
  record(call: PendingCall, failed: boolean): void {
    if (failed) this.failures++;
    if (call.attempts > 0) this.waitTimes.record(call.queueMs);
    if (call.stats) this.runTimes.record(call.stats.runMs);
  }

  stats(target: string, queued: number, running: number, alive: number): MethodStats {
    const { calls, failures } = this;
    return { target, calls, failures, queued, running, alive, waitMs: this.waitTimes.percentiles(), runMs: this.runTimes.percentiles() };
  }
}
