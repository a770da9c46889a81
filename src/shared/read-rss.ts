/**
 * Another process's resident set, read as cheaply as Linux allows: the
 * second field of /proc/<pid>/statm (resident pages), from a file kept open
 * and read again at offset 0, which regenerates it. /proc/<pid>/status holds
 * the same number as VmRSS but formats some fifty fields to give it. And the
 * processes it started: /proc/<pid>/task/<pid>/children lists those its main
 * thread forked, which is where Node's child_process forks them.
 */
import { procIsOurs } from './descendants.js';
import { closeSync, openSync, readFileSync, readSync } from './node-fs.js';

/**
 * Whether another process's memory can be read: Linux, with a /proc of this
 * process's PID namespace (one mounted from another would show other
 * processes under the same numbers).
 */
export function canReadRss(): boolean {
  return process.platform === 'linux' && procIsOurs();
}

/** Room for a statm line, or for some five hundred PIDs of children. */
const BUFFER_BYTES = 4096;
/** Made on first use. */
let buffer: Buffer | undefined;
let pageBytes: number | undefined;

/** The size of a page: this process's resident set over its resident pages, rounded to a power of two. */
export function pageSize(): number {
  if (pageBytes !== undefined) return pageBytes;
  pageBytes = 4096;
  try {
    const pages = residentPages(readFileSync('/proc/self/statm', 'latin1'));
    const bytes = process.memoryUsage.rss();
    if (pages > 0 && bytes > 0) pageBytes = 2 ** Math.round(Math.log2(bytes / pages));
  } catch {
    // keep 4 KiB, the page of every common Linux machine but some arm64 ones
  }
  return pageBytes;
}

function residentPages(statm: string): number {
  const start = statm.indexOf(' ') + 1;
  const end = statm.indexOf(' ', start);
  return start > 0 && end > start ? Number.parseInt(statm.slice(start, end), 10) : Number.NaN;
}

/** Reads a /proc file kept open; undefined once unreadable (the process is gone). */
function readOpen(fd: number): string | undefined {
  buffer ??= Buffer.allocUnsafe(BUFFER_BYTES);
  try {
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.toString('latin1', 0, length);
  } catch {
    return undefined;
  }
}

/** One process's /proc files, held open while it is watched. */
export class ProcessMemory {
  private statm: number | undefined;
  private children: number | undefined;

  constructor(readonly pid: number) {
    try {
      this.statm = openSync(`/proc/${pid}/statm`, 'r');
      this.children = openSync(`/proc/${pid}/task/${pid}/children`, 'r');
    } catch {
      // gone already, or a kernel without the children file: its own RSS still counts
    }
  }

  /** Its resident set in bytes; undefined once it is gone. */
  rss(): number | undefined {
    if (this.statm === undefined) return undefined;
    const text = readOpen(this.statm);
    const pages = text === undefined ? Number.NaN : residentPages(text);
    return Number.isFinite(pages) ? pages * pageSize() : undefined;
  }

  /** The PIDs its main thread started that are still running (zombies aside, the kernel lists them). */
  childPids(): number[] {
    if (this.children === undefined) return [];
    const text = readOpen(this.children);
    if (!text) return [];
    const pids = text.trim().split(' ');
    // A list longer than the buffer ends mid-number: its last entry is dropped.
    if (text.length === BUFFER_BYTES) pids.pop();
    return pids.map(Number).filter((pid) => Number.isSafeInteger(pid) && pid > 0);
  }

  close(): void {
    for (const fd of [this.statm, this.children]) {
      if (fd === undefined) continue;
      try {
        closeSync(fd);
      } catch {
        // closed already
      }
    }
    this.statm = this.children = undefined;
  }
}
