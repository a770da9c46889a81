import type { ChildProcess } from 'node:child_process';
import { OUTPUT_HOLD_MS } from '../../protocol/output-messages.js';
import { setChildReferenced } from './child-process.js';

/**
 * How long the parent waits for a child whose stdout or stderr still drains
 * (output-messages.ts): each time the child says its bytes move, for
 * OUTPUT_HOLD_MS more, until it says they are out.
 */
export class OutputHold {
  private until = 0;
  private timer: NodeJS.Timeout | undefined;

  /** @param changed Called when the hold starts or ends. */
  constructor(private readonly changed: () => void) {}

  get held(): boolean {
    return this.until > performance.now();
  }

  /** Milliseconds until the hold ends, unless the child says more. */
  get msLeft(): number {
    return Math.max(0, this.until - performance.now());
  }

  /** What the child said. */
  update(draining: boolean): void {
    clearTimeout(this.timer);
    this.until = draining ? performance.now() + OUTPUT_HOLD_MS : 0;
    if (draining) this.timer = setTimeout(() => this.end(), OUTPUT_HOLD_MS).unref();
    this.changed();
  }

  /** The child is gone, or went quiet for OUTPUT_HOLD_MS. */
  end(): void {
    clearTimeout(this.timer);
    if (this.until === 0) return;
    this.until = 0;
    this.changed();
  }
}

/**
 * Whether a child holds the parent's event loop (its process handle, IPC
 * channel and stderr pipe): while a call waits for its reply; while a fresh
 * child leaves after its call, since its output may still come through the
 * stderr pipe; and while its output drains, as a process's own pending
 * output would hold it. Idle children never do.
 */
export class ChildHold {
  readonly output = new OutputHold(() => this.apply());
  private referenced = true;
  private calls = true;
  private leaving = false;
  private released = false;

  constructor(private readonly child: ChildProcess) {}

  /** Whether a call waits for the child. */
  setCalls(on: boolean): void {
    this.calls = on;
    this.apply();
  }

  /** A fresh child is leaving after its call: it holds the parent until it is gone. */
  leave(): void {
    this.leaving = true;
    this.apply();
  }

  /**
   * Calls `kill` after `ms`, or, with `waitForOutput`, once the output no
   * longer holds the child; never once the child is gone. Keeps nothing alive.
   */
  after(ms: number, waitForOutput: boolean, kill: () => void): void {
    const due = (): void => {
      if (this.released) return;
      if (waitForOutput && this.output.held) setTimeout(due, this.output.msLeft + 1).unref();
      else kill();
    };
    setTimeout(due, ms).unref();
  }

  /** The child is gone: nothing of it holds the parent, not even a grandchild that keeps its stderr open. */
  release(): void {
    this.calls = this.leaving = false;
    this.output.end();
    this.apply();
    this.released = true;
  }

  private apply(): void {
    const on = this.calls || this.leaving || this.output.held;
    if (on === this.referenced || this.released) return;
    this.referenced = on;
    setChildReferenced(this.child, on);
  }
}
