import type { PendingCall } from '../calls/pending-call.js';

/**
 * The calls of one method waiting for a child, in call order (a retry goes
 * back to the front). While any call waits, a referenced timer keeps the
 * process alive: a waiting call may have no child, socket or timer of its
 * own, and an `await` on it must not end the script with exit code 13.
 * Adding a call doesn't start that timer: most calls leave the queue in the
 * same pump that added them, so the pool calls `holdWhileWaiting()` once the
 * pump is done.
 */
export class CallQueue {
  private readonly calls: PendingCall[] = [];
  private hold: NodeJS.Timeout | undefined;

  get length(): number {
    return this.calls.length;
  }

  /** The call that runs next. */
  peek(): PendingCall | undefined {
    return this.calls[0];
  }

  /** The call that came last. */
  last(): PendingCall | undefined {
    return this.calls.at(-1);
  }

  push(call: PendingCall): void {
    this.calls.push(call);
  }

  /** A retry: it goes first, it has waited already. */
  pushFront(call: PendingCall): void {
    this.calls.unshift(call);
  }

  shift(): PendingCall | undefined {
    return this.calls.shift();
  }

  /** Takes a call out (its timeout or abort came while it waited). */
  remove(call: PendingCall): void {
    const index = this.calls.indexOf(call);
    if (index !== -1) this.calls.splice(index, 1);
    this.holdWhileWaiting();
  }

  /** Empties the queue (shutdown) and returns what was in it. */
  drain(): PendingCall[] {
    const drained = this.calls.splice(0);
    this.holdWhileWaiting();
    return drained;
  }

  /** Holds the process alive exactly while calls wait. */
  holdWhileWaiting(): void {
    if (this.calls.length > 0) this.hold ??= setInterval(() => {}, 1 << 30);
    else if (this.hold !== undefined) {
      clearInterval(this.hold);
      this.hold = undefined;
    }
  }
}
