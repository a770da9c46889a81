import { MAX_TIMER_MS } from '../../shared/timers.js';

/** How long the child's generator may take to stop once the consumer did, and what ends the call when it takes longer. */
export interface StreamStop {
  readonly grace: number;
  /** Ends the call as returned and kills its child, which is stuck (in an await, or in its `finally`). */
  readonly endCall: () => void;
}

/** The grace a stopped stream's generator gets to end by itself; one timer per stream, re-armed for each attempt. */
export class StopTimer {
  private timer: NodeJS.Timeout | undefined;

  /** Calls `expire` after `grace` ms unless cleared first. `referenced`: whether the wait holds the process open. */
  arm(grace: number, referenced: boolean, expire: () => void): void {
    this.clear();
    if (!(grace <= MAX_TIMER_MS)) return; // grace: Infinity waits for ever
    this.timer = setTimeout(expire, grace);
    if (!referenced) this.timer.unref();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
