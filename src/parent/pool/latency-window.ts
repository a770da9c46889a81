/** Latency percentiles over a method's recent calls, in milliseconds, as `stats()` reports them. */
export interface LatencyPercentiles {
  /** Calls the figures are drawn from: the most recent ones, at most {@link LATENCY_WINDOW}. */
  readonly samples: number;
  /** The median. */
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  /** The slowest of the window. */
  readonly max: number;
}

/** How many recent calls the percentiles cover: enough for a stable p99, small enough to sort on every `stats()`. */
export const LATENCY_WINDOW = 1024;

/**
 * The last {@link LATENCY_WINDOW} latencies of one kind, in a ring. A window
 * rather than an all-time histogram: it shows how the method is doing now,
 * recording is one store, and the figures are exact (nearest rank), not
 * bucketed. The sorting happens only when `stats()` asks.
 */
export class LatencyWindow {
  private readonly values = new Float64Array(LATENCY_WINDOW);
  private count = 0;
  private next = 0;

  /** Adds one call's latency, pushing out the oldest once the window is full. */
  record(ms: number): void {
    this.values[this.next] = ms;
    this.next = (this.next + 1) % LATENCY_WINDOW;
    if (this.count < LATENCY_WINDOW) this.count++;
  }

  /** The percentiles of the window; all 0 before the first sample. */
  percentiles(): LatencyPercentiles {
    const sorted = this.values.slice(0, this.count).sort();
    const rank = (p: number) => (this.count === 0 ? 0 : sorted[Math.ceil((p / 100) * this.count) - 1]!);
    return { samples: this.count, p50: rank(50), p90: rank(90), p99: rank(99), max: this.count === 0 ? 0 : sorted[this.count - 1]! };
  }
}
