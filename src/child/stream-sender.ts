/**
 * When the child sends a stream's values. A value is sent before the
 * generator is asked for the next one, because that next pull may run
 * synchronous work for as long as it likes: nothing queued to be sent
 * "soon" (a timer, setImmediate) would leave before it ends. Only while the
 * generator yields back to back (its last pulls each came back at once) are
 * values batched, one message for many, and then a batch waits at most
 * MAX_BATCH_AGE_MS before a pull. What that leaves: a generator that turns
 * from such a burst to synchronous work holds the last values of the burst
 * (those of its last millisecond) until that work ends; and a write that
 * found the pipe full (the parent behind) waits for the event loop too.
 */
import { discardBlobs, handOverBlobs } from '../codec/blobs.js';
import type { Encoded } from '../codec/tags.js';
import { MAX_STREAM_BATCH, streamItemsMessage } from '../protocol/stream-messages.js';
import { sendToParent } from './parent-channel.js';

/** A pull that came back within this much did no work worth speaking of (a microtask-fast yield takes microseconds). */
const FAST_PULL_MS = 0.25;
/** Fast pulls in a row before values are batched: a generator that yields once or twice and then works still sends each at once. */
const BURST_PULLS = 8;
/** The oldest a batch may be when the generator is pulled again. */
const MAX_BATCH_AGE_MS = 1;

export class StreamSender {
  private batch: Encoded[] = [];
  private sizes: number[] = [];
  private batchBytes = 0;
  private batchStartedAt = 0;
  private flushScheduled = false;
  private fastPulls = 0;
  private pullStartedAt = 0;

  constructor(
    private readonly id: number,
    private readonly maxBatchBytes: number,
  ) {}

  /** The generator is about to be pulled: send what waits, unless it is yielding back to back and the batch is young. */
  beforePull(): void {
    this.pullStartedAt = performance.now();
    if (this.batch.length === 0) return;
    if (this.fastPulls < BURST_PULLS || this.pullStartedAt - this.batchStartedAt >= MAX_BATCH_AGE_MS) this.flush();
  }

  /** The pull came back (a value, the end, or a throw): how long it took says whether the generator is yielding back to back. */
  afterPull(): void {
    this.fastPulls = performance.now() - this.pullStartedAt < FAST_PULL_MS ? this.fastPulls + 1 : 0;
  }

  add(encoded: Encoded, bytes: number): void {
    if (this.batch.length === 0) this.batchStartedAt = performance.now();
    this.batch.push(encoded);
    this.sizes.push(bytes);
    this.batchBytes += bytes;
    if (this.batch.length >= MAX_STREAM_BATCH || this.batchBytes >= this.maxBatchBytes) this.flush();
    else if (!this.flushScheduled) {
      // A pull that turns out to wait for I/O lets this run, so the batch doesn't sit through the wait.
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  flush(): void {
    if (this.batch.length === 0) return;
    const items = this.batch;
    const message = streamItemsMessage(this.id, items, this.sizes);
    this.batch = [];
    this.sizes = [];
    this.batchBytes = 0;
    try {
      // Written at once while the channel's pipe has room (Node tries the write synchronously).
      sendToParent(message, (error) => {
        // Sent: the files are the parent's to delete now. Not sent: the channel is gone, and so is the call.
        for (const item of items) error ? discardBlobs(item.f) : handOverBlobs(item.f);
      });
    } catch {
      for (const item of items) discardBlobs(item.f);
    }
  }
}
