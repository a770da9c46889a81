import { builtin } from '../shared/builtin.js';
import { readRss, resetPeakRss, type RssSnapshot } from './proc-status.js';

export type { RssSnapshot } from './proc-status.js';

/** What `measureRss(fn)` resolves with. All sizes in bytes. */
export interface RssMeasurement<T> {
  /** What `fn` returned (awaited). */
  readonly result: T;
  /** Snapshot before `fn` ran (after a garbage collection, when possible). */
  readonly before: RssSnapshot;
  /** Snapshot after `fn` settled (after a garbage collection, when possible). */
  readonly after: RssSnapshot;
  /** `after.rss - before.rss`: what `fn` left behind in this process. */
  readonly delta: number;
  /**
   * Peak RSS while `fn` ran. On Linux the peak is reset before `fn`, so this
   * is `fn`'s own peak; elsewhere it is the process's peak since start.
   */
  readonly peak: number;
  /** Whether `peak` covers only `fn` (true on Linux) or the whole process life. */
  readonly peakIsScoped: boolean;
  /** Whether garbage was collected before each reading. */
  readonly collected: boolean;
}

/**
 * Memory of this process, to prove a dependency never loaded here.
 *
 * - `measureRss()` returns a snapshot `{ rss, peak }` now.
 * - `measureRss(fn)` runs `fn` (sync or async) and resolves
 *   `{ result, before, after, delta, peak }`.
 *
 * Linux reads VmRSS/VmHWM from /proc/self/status and resets the peak through
 * /proc/self/clear_refs; other systems use `process.memoryUsage().rss` and
 * `process.resourceUsage().maxRSS`, whose peak can't be reset.
 *
 * Garbage is collected before each reading of `measureRss(fn)`: with
 * `globalThis.gc` under `--expose-gc`, otherwise by enabling V8's gc
 * extension at run time; if neither works, readings are taken as they are
 * and `collected` is false.
 */
export function measureRss(): RssSnapshot;
export function measureRss<T>(fn: () => T | Promise<T>): Promise<RssMeasurement<Awaited<T>>>;
export function measureRss<T>(fn?: () => T | Promise<T>): RssSnapshot | Promise<RssMeasurement<Awaited<T>>> {
  if (fn === undefined) return readRss();
  if (typeof fn !== 'function') throw new TypeError('measureRss(fn) takes a function to run and measure');
  return measure(fn);
}

async function measure<T>(fn: () => T | Promise<T>): Promise<RssMeasurement<Awaited<T>>> {
  const collected = collectGarbage();
  const before = readRss();
  const peakIsScoped = resetPeakRss();
  const result = await fn();
  const duringPeak = readRss().peak;
  collectGarbage();
  const after = readRss();
  return { result, before, after, delta: after.rss - before.rss, peak: Math.max(duringPeak, after.rss), peakIsScoped, collected };
}

let gcFunction: (() => void) | null | undefined;

function collectGarbage(): boolean {
  if (gcFunction === undefined) gcFunction = findGc();
  if (!gcFunction) return false;
  gcFunction();
  return true;
}

function findGc(): (() => void) | null {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  try {
    // Enables the gc extension for contexts created from now on; a fresh
    // context then has a `gc` function that collects the whole isolate.
    builtin<typeof import('node:v8')>('node:v8').setFlagsFromString('--expose-gc');
    const gc = builtin<typeof import('node:vm')>('node:vm').runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}
