import { ProcessMemory } from '../../shared/read-rss.js';

/**
 * The growth rate the sampling is sized for, in MB per second: a child whose
 * resident set grows at most this fast is seen at most {@link overshootMb}
 * over its budget.
 */
export const DESIGN_RATE_MB_PER_S = 1024;
/** Half the time the design rate allows between samples: room for a late timer in a busy parent. */
const SAFETY = 0.5;
/** However far under budget, a child is looked at this often: an instant allocation is caught within this. */
export const MAX_INTERVAL_MS = 100;
const MIN_INTERVAL_MS = 1;
/** The processes summed besides the child itself; a tree larger than this counts its first ones. */
const MAX_DESCENDANTS = 64;
const MB = 1024 * 1024;

/** How far over its budget a child growing at the design rate may be seen: 10% of the budget, or 20 MB. */
export function overshootMb(limitMb: number): number {
  return Math.max(0.1 * limitMb, 20);
}

/**
 * Milliseconds until the next sample. At the design rate the child can't
 * cross its budget sooner than its headroom allows, so the wait is the time
 * to grow through the headroom plus the allowed overshoot, halved: slow far
 * under budget, fastest (the overshoot alone) at it.
 */
export function nextIntervalMs(rssMb: number, limitMb: number): number {
  const headroom = Math.max(0, limitMb - rssMb);
  const ms = ((SAFETY * (headroom + overshootMb(limitMb))) / DESIGN_RATE_MB_PER_S) * 1000;
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, ms));
}

/** What the watch reports to its owner. */
export interface RssWatchEvents {
  /** Whether the watched attempt still runs on the child; the watch stops once it doesn't. */
  readonly current: () => boolean;
  /** The resident set went over the budget; `peakMb` is what was seen. The watch has stopped. */
  readonly over: (peakMb: number) => void;
}

/**
 * Samples the resident set of a child and of the processes its main thread
 * started (and theirs), summed, on the parent's event loop, until stopped,
 * the attempt moves on, the child is gone, or the sum goes over `limitMb`.
 */
export class RssWatch {
  private peakBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly root: ProcessMemory;
  private readonly descendants = new Map<number, ProcessMemory>();
  private readonly sampleBound = () => this.sample();

  constructor(
    pid: number,
    private readonly limitMb: number,
    private readonly events: RssWatchEvents,
  ) {
    this.root = new ProcessMemory(pid);
    this.sample();
  }

  /** The highest sum seen, in MB, to 0.1. */
  get peakMb(): number {
    return Math.round((this.peakBytes / MB) * 10) / 10;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.root.close();
    for (const process of this.descendants.values()) process.close();
    this.descendants.clear();
  }

  private sample(): void {
    if (this.stopped) return;
    const own = this.events.current() ? this.root.rss() : undefined;
    // Moved on, or gone (its exit tells the call).
    if (own === undefined) {
      this.stop();
      return;
    }
    const bytes = own + this.descendantBytes();
    if (bytes > this.peakBytes) this.peakBytes = bytes;
    if (bytes > this.limitMb * MB) {
      this.stop();
      this.events.over(this.peakMb);
      return;
    }
    this.timer = setTimeout(this.sampleBound, nextIntervalMs(bytes / MB, this.limitMb));
    this.timer.unref();
  }

  /** The processes the child started, found afresh each sample: each one's /proc files are opened once. */
  private descendantBytes(): number {
    const seen = new Set<number>();
    const queue = this.root.childPids();
    let bytes = 0;
    while (queue.length > 0 && seen.size < MAX_DESCENDANTS) {
      const pid = queue.shift()!;
      if (seen.has(pid)) continue;
      seen.add(pid);
      let process = this.descendants.get(pid);
      let rss = process?.rss();
      // New, or its number now another process's (the file held open was the one that ended).
      if (rss === undefined) {
        process?.close();
        this.descendants.set(pid, (process = new ProcessMemory(pid)));
        rss = process.rss();
      }
      bytes += rss ?? 0;
      queue.push(...process!.childPids());
    }
    for (const [pid, process] of this.descendants) {
      if (seen.has(pid)) continue;
      process.close();
      this.descendants.delete(pid);
    }
    return bytes;
  }
}
