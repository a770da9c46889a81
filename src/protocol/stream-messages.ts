/**
 * The messages of a streamed call (an async generator method), beside those
 * of messages.ts: the child sends the values it yields in batches, the
 * parent grants credit as its consumer takes them, and asks the child to
 * stop when the consumer does. The call itself still starts with a `call`
 * message (with `stream` set) and ends with a `result` or `error` reply.
 */
import type { Encoded } from '../codec/tags.js';
import { MARKER, PROTOCOL_VERSION } from './version.js';

/**
 * How far the child may run ahead of the parent's consumer: it pulls the
 * next value from the generator only while fewer than `items` values, and
 * fewer than `bytes` estimated bytes, are sent (or batched) but not yet taken.
 */
export interface StreamLimits {
  readonly items: number;
  readonly bytes: number;
  /**
   * Estimated bytes at which the child sends a batch even if the generator
   * has more ready: well under `maxMessageBytes`, which counts a batch as one
   * message.
   */
  readonly batchBytes: number;
}

/** The largest batch, in estimated bytes, whatever `maxMessageBytes` allows: the parent can start on it. */
export const MAX_BATCH_BYTES = 1024 * 1024;

/** The batch size for a method whose children may send messages of `maxMessageBytes` (JSON text and base64 make a value up to ~3x its estimate). */
export function batchBytesFor(maxMessageBytes: number): number {
  return Math.max(1, Math.min(MAX_BATCH_BYTES, Math.floor(maxMessageBytes / 4)));
}

/** Most values one batch may hold; the child flushes before that. */
export const MAX_STREAM_BATCH = 4096;

/** Child -> parent: values the generator yielded, in order. */
export interface StreamItemsMessage {
  readonly [MARKER]: typeof PROTOCOL_VERSION;
  readonly type: 'stream-items';
  readonly id: number;
  /** Each value encoded and packed like a result; a large part's file is listed in its own `f`. */
  readonly items: readonly Encoded[];
  /** The child's estimate of each value's size in bytes, counted against `StreamLimits.bytes`. */
  readonly bytes: readonly number[];
}

/** Parent -> child: the consumer took this many values (and their estimated bytes); the child may produce as many more. */
export interface StreamCreditMessage {
  readonly [MARKER]: typeof PROTOCOL_VERSION;
  readonly type: 'stream-credit';
  readonly id: number;
  readonly items: number;
  readonly bytes: number;
}

/** Parent -> child: the consumer stopped (`break`, `return()`): end the generator, its `finally` runs, then reply. */
export interface StreamReturnMessage {
  readonly [MARKER]: typeof PROTOCOL_VERSION;
  readonly type: 'stream-return';
  readonly id: number;
}

/** A batch of yielded values, each already packed for the wire (wire-value.ts) by the child as it encoded it. */
export function streamItemsMessage(id: number, items: readonly Encoded[], bytes: readonly number[]): StreamItemsMessage {
  return { [MARKER]: PROTOCOL_VERSION, type: 'stream-items', id, items, bytes };
}

/** Credit for `items` more values and `bytes` more bytes. */
export function streamCreditMessage(id: number, items: number, bytes: number): StreamCreditMessage {
  return { [MARKER]: PROTOCOL_VERSION, type: 'stream-credit', id, items, bytes };
}

/** Stop the stream of call `id`. */
export function streamReturnMessage(id: number): StreamReturnMessage {
  return { [MARKER]: PROTOCOL_VERSION, type: 'stream-return', id };
}
