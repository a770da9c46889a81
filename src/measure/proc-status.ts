import { readFileSync, writeFileSync } from '../shared/node-fs.js';

/** Resident set size now and its peak (high-water mark), in bytes. */
export interface RssSnapshot {
  /** Resident set size now, in bytes. */
  readonly rss: number;
  /** The highest resident set size reached (since start, or since the last reset), in bytes. */
  readonly peak: number;
}

const hasProc = process.platform === 'linux';

/**
 * Reads VmRSS and VmHWM from /proc/self/status on Linux; elsewhere
 * `process.memoryUsage().rss` and `process.resourceUsage().maxRSS` (the
 * process's peak since start, which can't be reset).
 */
export function readRss(): RssSnapshot {
  if (hasProc) {
    try {
      const status = readFileSync('/proc/self/status', 'latin1');
      const rss = kbField(status, 'VmRSS:');
      const peak = kbField(status, 'VmHWM:');
      if (rss > 0) return { rss, peak: Math.max(peak, rss) };
    } catch {
      // fall through to the portable reading
    }
  }
  const rss = process.memoryUsage.rss();
  return { rss, peak: Math.max(rss, process.resourceUsage().maxRSS * 1024) };
}

/**
 * Resets the peak to the current RSS (Linux: writing 5 to /proc/self/clear_refs).
 * Returns false where the system doesn't allow it.
 */
export function resetPeakRss(): boolean {
  if (!hasProc) return false;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function kbField(status: string, field: string): number {
  const at = status.indexOf(field);
  if (at === -1) return 0;
  return Number.parseInt(status.slice(at + field.length, status.indexOf('\n', at)), 10) * 1024;
}
