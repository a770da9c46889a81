/**
 * The child's side of a streamed call: pulls values from the method's async
 * generator while the parent's credit allows, sends them (stream-sender.ts
 * says when), and ends the generator (its `finally` runs) when the parent's
 * consumer stops.
 * child-loop.ts runs the method and sends the final reply; this file owns
 * only what happens in between.
 */
import { encode } from '../codec/encode.js';
import { discardBlobs } from '../codec/blobs.js';
import type { Encoded } from '../codec/tags.js';
import { IsolatedCallError } from '../errors/isolated-call-error.js';
import { SerializationError } from '../errors/serialization-error.js';
import type { ResolvedCall } from '../protocol/messages.js';
import { MAX_BATCH_BYTES, type StreamCreditMessage, type StreamLimits, type StreamReturnMessage } from '../protocol/stream-messages.js';
import { packEncoded } from '../protocol/wire-value.js';
import { estimateBytes } from './estimate-bytes.js';
import { StreamSender } from './stream-sender.js';

const drivers = new Map<number, StreamDriver>();
/** Calls the parent stopped before their generator started (a `return()` while the call was starting). */
const returnedEarly = new Set<number>();

/**
 * Drives the async iterable `value` returned by the call's method, and
 * resolves with the generator's return value once it is done or returned.
 * Rejects with what the generator threw, after every value it yielded before
 * has been sent.
 */
export async function driveStream(value: unknown, message: ResolvedCall, limits: StreamLimits): Promise<unknown> {
  const iterator = asyncIteratorOf(value);
  const driver = new StreamDriver(message.id, limits, message.blobDir);
  drivers.set(message.id, driver);
  if (returnedEarly.delete(message.id)) driver.returning = true;
  try {
    return await driver.run(iterator);
  } finally {
    drivers.delete(message.id);
  }
}

/** The parent's credit or stop for a running stream. */
export function handleStreamControl(message: StreamCreditMessage | StreamReturnMessage): void {
  const driver = drivers.get(message.id);
  if (message.type === 'stream-credit') driver?.credit(message.items, message.bytes);
  else if (driver) driver.stop();
  else {
    // Usually a call still loading; rarely one that just ended (its reply crossing this), so the set is kept small.
    if (returnedEarly.size >= 1024) returnedEarly.clear();
    returnedEarly.add(message.id);
  }
}

/** A value as it rides in the message (wire-value.ts); one V8's serializer refuses fails as that value. */
function packForWire(encoded: Encoded, index: number, blobDir: string | undefined): Encoded {
  try {
    return packEncoded(encoded, blobDir);
  } catch (error) {
    discardBlobs(encoded.f);
    if (error instanceof IsolatedCallError) throw error; // the folder was tampered with
    throw new SerializationError(`yield[${index}]`, `Node could not serialize it (${(error as Error).message})`, { cause: error });
  }
}

function asyncIteratorOf(value: unknown): AsyncIterator<unknown> {
  const method = (value as { [Symbol.asyncIterator]?: unknown } | null | undefined)?.[Symbol.asyncIterator];
  if (typeof method !== 'function') {
    throw new TypeError(
      'The method was declared as an async generator (async *), but what it returned is not async iterable; return an AsyncGenerator',
    );
  }
  return method.call(value) as AsyncIterator<unknown>;
}

class StreamDriver {
  returning = false;
  private outstandingItems = 0;
  private outstandingBytes = 0;
  private readonly sender: StreamSender;
  private wake: (() => void) | undefined;
  private yielded = 0;

  constructor(
    id: number,
    private readonly limits: StreamLimits,
    private readonly blobDir: string,
  ) {
    this.sender = new StreamSender(id, limits.batchBytes || MAX_BATCH_BYTES);
  }

  async run(iterator: AsyncIterator<unknown>): Promise<unknown> {
    for (;;) {
      if (!this.returning && !this.hasCredit()) {
        this.sender.flush(); // what is batched is all the parent can ack
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      if (this.returning) {
        this.sender.flush();
        await iterator.return?.();
        return undefined;
      }
      let step: IteratorResult<unknown>;
      this.sender.beforePull();
      try {
        step = await iterator.next();
      } catch (error) {
        this.sender.flush(); // the values yielded before the throw reach the consumer first
        throw error;
      }
      this.sender.afterPull();
      if (step.done) {
        this.sender.flush();
        return step.value;
      }
      if (this.returning) continue; // produced while the parent stopped: nobody takes it
      let encoded: Encoded;
      let bytes: number;
      try {
        // No folder (a call from another machine): large parts stay in the message, as for a result.
        encoded = encode(step.value, `yield[${this.yielded}]`, this.blobDir ? { blobDir: this.blobDir } : {});
        bytes = estimateBytes(encoded); // of the value, not of its packed text
        encoded = packForWire(encoded, this.yielded, this.blobDir);
      } catch (error) {
        this.sender.flush(); // what came before the bad value still reaches the consumer
        await iterator.return?.().catch(() => {}); // its finally runs, as after any error of the stream
        throw error;
      }
      this.yielded++;
      this.outstandingItems++;
      this.outstandingBytes += bytes;
      this.sender.add(encoded, bytes);
    }
  }

  /** The consumer took values: the generator may run that much further. */
  credit(items: number, bytes: number): void {
    this.outstandingItems = Math.max(0, this.outstandingItems - items);
    this.outstandingBytes = Math.max(0, this.outstandingBytes - bytes);
    this.resume();
  }

  stop(): void {
    this.returning = true;
    this.resume();
  }

  private resume(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private hasCredit(): boolean {
    return this.outstandingItems < this.limits.items && this.outstandingBytes < this.limits.bytes;
  }
}
