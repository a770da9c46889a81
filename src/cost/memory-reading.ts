import { readFileSync } from 'node:fs';

/** One reading of this process's memory, in bytes. */
export interface MemoryReading {
  /** Resident set size. */
  readonly rss: number;
  /** Private (anonymous) resident memory, Linux's RssAnon; null where the OS doesn't tell. */
  readonly anon: number | null;
  /** File-backed resident memory (code and data mapped from files), Linux's RssFile; null where the OS doesn't tell. */
  readonly file: number | null;
  /** V8's used heap. */
  readonly heap: number;
}

/**
 * Reads /proc/self/status on Linux, where the resident set is split into
 * private and file-backed parts; elsewhere only the total, from Node.
 */
export function readMemory(): MemoryReading {
  const heap = process.memoryUsage().heapUsed;
  if (process.platform === 'linux') {
    try {
      const status = readFileSync('/proc/self/status', 'latin1');
      const rss = kbField(status, 'VmRSS:');
      if (rss !== null) return { rss, anon: kbField(status, 'RssAnon:'), file: kbField(status, 'RssFile:'), heap };
    } catch {
      // no /proc (a sandbox): the portable reading below
    }
  }
  return { rss: process.memoryUsage.rss(), anon: null, file: null, heap };
}

function kbField(status: string, field: string): number | null {
  const at = status.indexOf(field);
  if (at === -1) return null;
  const kb = Number.parseInt(status.slice(at + field.length, status.indexOf('\n', at)), 10);
  return Number.isFinite(kb) ? kb * 1024 : null;
}
