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
