/**
 * Milliseconds from an arbitrary origin, for durations. The global
 * `performance` is a lazy getter that loads node:perf_hooks on first use:
 * about a millisecond of every fresh child's start-up, which times only
 * two durations per call. process.hrtime needs nothing loaded.
 */
export function elapsedMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
