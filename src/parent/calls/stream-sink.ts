import { discardReplyBlobs } from '../../codec/blobs.js';
import { CallAbortedError } from '../../errors/call-aborted-error.js';
import { CallTimeoutError } from '../../errors/call-timeout-error.js';
import { ProtocolError } from '../../errors/protocol-error.js';
import { streamCreditMessage, streamReturnMessage, type StreamItemsMessage, type StreamLimits } from '../../protocol/stream-messages.js';
import type { PoolChild } from '../pool/pool-child.js';
import { StreamBuffer } from './stream-buffer.js';
import { decodeYielded } from './read-reply.js';
import { StopTimer, type StreamStop } from './stream-stop.js';

/** How a stream ended in the child, as its call settled. */
type Ending = { readonly error: unknown } | { readonly value: unknown };

/**
 * The parent's end of one streamed call: the values the child sent that the
 * consumer hasn't taken, the credit given back as it takes them, and the
 * call's end. The call itself runs in the method's pool like any other (its
 * reply, timeout, abort and crash settle it); this object only sits beside
 * it, fed by the child's `stream-items` and read by the consumer's `next()`.
 */
export class StreamSink {
  /** Values received; a stream that has delivered any is never retried (they would come twice). */
  delivered = 0;
  private readonly buffer = new StreamBuffer();
  private takenItems = 0;
  private takenBytes = 0;
  private limits: StreamLimits = { items: 1, bytes: 1, batchBytes: 1 };
  private child: PoolChild | undefined;
  private id = 0;
  private ending: Ending | undefined;
  private returning = false;
  /** A consumer awaits the `return()` (not a garbage-collected stream): the stop timer holds the process. */
  private returnAwaited = false;
  private wake: (() => void) | undefined;
  private stop: StreamStop | undefined;
  private readonly stopTimer = new StopTimer();

  /** An attempt of the call started on `child` as message `id`: credit counts from zero again. */
  bind(child: PoolChild, id: number, limits: StreamLimits, stop: StreamStop): void {
    this.child = child;
    this.id = id;
    this.limits = limits;
    this.stop = stop;
    this.takenItems = 0;
    this.takenBytes = 0;
    if (this.returning) {
      child.notify(streamReturnMessage(id)); // stopped while the call was queued
      this.armStopTimer();
    }
  }

  /** A batch from the child, decoded now (its files are read and deleted at once); a bad one fails the stream. */
  receive(message: StreamItemsMessage, child: PoolChild): void {
    if (this.ending || this.returning || child !== this.child) {
      for (const item of message.items) discardReplyBlobs({ type: 'result', value: item }, child.pid);
      return;
    }
    if (this.buffer.length + message.items.length > this.limits.items) {
      for (const item of message.items) discardReplyBlobs({ type: 'result', value: item }, child.pid);
      this.failFrom(
        child,
        new ProtocolError(
          `The child (pid ${child.pid}) sent more values than the stream's credit of ${this.limits.items} (streamAhead) allows. ` +
            'The child may have been subverted by the data it processed, or two versions of isolated-call are installed.',
          { pid: child.pid },
        ),
      );
      return;
    }
    for (let i = 0; i < message.items.length; i++) {
      const item = message.items[i]!;
      try {
        this.buffer.push(decodeYielded(item, this.delivered, child.pid), message.bytes[i]!);
        this.delivered++;
      } catch (error) {
        for (const rest of message.items.slice(i)) discardReplyBlobs({ type: 'result', value: rest }, child.pid);
        this.failFrom(child, error);
        return;
      } finally {
        discardReplyBlobs({ type: 'result', value: item }, child.pid);
      }
    }
    this.resume();
  }

  /**
   * The call settled. A timeout or abort ends the stream at once; any other
   * error (what the generator threw, a crash) comes after the values sent before it.
   */
  end(ending: Ending): void {
    if (this.ending) return;
    this.ending = ending;
    this.stopTimer.clear();
    if ('error' in ending && (ending.error instanceof CallTimeoutError || ending.error instanceof CallAbortedError)) this.buffer.clear();
    this.resume();
  }

  /** The consumer's next value; `done` with the generator's return value at the end. Throws the stream's error. */
  async next(): Promise<IteratorResult<unknown>> {
    for (;;) {
      if (this.buffer.length > 0) return { done: false, value: this.take() };
      const ending = this.ending;
      if (ending) {
        this.ending = { value: undefined }; // an error is thrown once; the generator is done after it
        if ('error' in ending) throw ending.error;
        return { done: true, value: ending.value };
      }
      // A consumer waiting on the child keeps the process alive; one that went away doesn't (see docs/streams-and-callbacks.md).
      this.child?.setReferenced(true);
      await new Promise<void>((resolve) => (this.wake = resolve));
      if (!this.ending) this.child?.setReferenced(false);
    }
  }

  /**
   * The consumer stopped (`break`, `return()`): the child ends its generator,
   * and this resolves when the call has settled, or after `grace` when the
   * generator can't reach a `yield` (the child ran ahead into an await that
   * doesn't settle): then the child is killed.
   */
  async return(): Promise<void> {
    this.buffer.clear();
    if (this.ending) return;
    this.returning = true;
    this.child?.notify(streamReturnMessage(this.id));
    this.child?.setReferenced(true);
    this.returnAwaited = true;
    this.armStopTimer();
    while (!this.ending) await new Promise<void>((resolve) => (this.wake = resolve));
    const ending = this.ending as Ending | undefined;
    // The generator's finally threw, the child died or the timeout struck while it ran: the return() rejects, as natively.
    if (ending && 'error' in ending) throw ending.error;
  }

  /** The consumer's generator object was garbage-collected unfinished: stop the child's generator, waiting for nothing. */
  abandon(): void {
    if (this.ending || this.returning) return;
    this.returning = true;
    this.buffer.clear();
    this.child?.notify(streamReturnMessage(this.id));
    this.armStopTimer();
  }

  /** Gives the child's generator `grace` to stop; past that the call ends as returned and its child is killed. */
  private armStopTimer(): void {
    const stop = this.stop;
    if (!stop) return; // not bound yet (the call is queued): bind() arms it once the child is told to stop
    // Unreferenced for a garbage-collected stream: nobody waits for it.
    this.stopTimer.arm(stop.grace, this.returnAwaited, () => {
      if (this.ending) return;
      this.ending = { value: undefined }; // what a stopped generator gives; the call's own settling comes after and is ignored
      this.resume();
      stop.endCall();
    });
  }

  /** Takes the next value, giving credit back in batches: at half the bound, or when the consumer has caught up. */
  private take(): unknown {
    this.takenItems++;
    this.takenBytes += this.buffer.firstBytes();
    const value = this.buffer.shift();
    const caughtUp = this.buffer.length === 0;
    if (caughtUp || this.takenItems * 2 >= this.limits.items || this.takenBytes * 2 >= this.limits.bytes) this.giveCredit();
    return value;
  }

  private giveCredit(): void {
    if (this.ending || this.returning || !this.child || this.takenItems === 0) return;
    this.child.notify(streamCreditMessage(this.id, this.takenItems, this.takenBytes));
    this.takenItems = 0;
    this.takenBytes = 0;
  }

  /** The child broke the protocol in a stream message: the stream fails now, and the child is killed (its call then settles). */
  private failFrom(child: PoolChild, error: unknown): void {
    this.end({ error });
    child.kill(`protocol error in a stream: ${(error as Error).message}`, 'protocol-error');
  }

  private resume(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
