import type { ChildProcess } from 'node:child_process';

type ReadCallback = (this: unknown, arrayBuffer?: ArrayBuffer) => void;

interface ChannelHandle {
  onread: ReadCallback;
  [key: symbol]: unknown;
}

/**
 * Caps the size of any one message a child sends over its IPC channel.
 *
 * Node reads a message's 4-byte length first, then buffers until the whole
 * message is there, whatever its size: a child processing hostile data could
 * make the parent buffer and deserialize hundreds of megabytes (a 400 MB
 * message took a parent from 47 MB to 1.25 GB of RSS, for a message it then
 * ignored). This wraps the channel's read callback: once the buffered part of
 * a message, or the length it announces, is over `limit`, the buffer is
 * dropped, every later byte from that child is discarded, and `onExceeded`
 * runs (the handle kills the child). End of stream still reaches Node, so the
 * child's exit is seen as usual.
 *
 * It relies on Node's internal field names (stable from Node 14 to 24) and
 * returns false, guarding nothing, where they are missing.
 */
export function guardMessageSize(child: ChildProcess, limit: number, onExceeded: (bytes: number) => void): boolean {
  if (!Number.isFinite(limit)) return true;
  const handle = ownSymbolValue(child, 'kChannelHandle') as ChannelHandle | undefined;
  if (!handle || typeof handle.onread !== 'function') return false;
  const buffered = symbolNamed(handle, 'kMessageBuffer');
  const bufferedSize = symbolNamed(handle, 'kMessageBufferSize');
  if (!buffered || !bufferedSize) return false; // 'json' serialization, or another Node

  const read = handle.onread;
  handle.onread = function guardedRead(this: unknown, arrayBuffer?: ArrayBuffer) {
    read.call(this, arrayBuffer);
    const size = handle[bufferedSize] as number;
    if (size === 0) return;
    const announced = announcedSize(handle[buffered] as Uint8Array[]);
    if (size <= limit && announced <= limit) return;
    handle[buffered] = [];
    handle[bufferedSize] = 0;
    // Nothing more from this child is parsed; only the end of the stream goes on to Node.
    handle.onread = function discard(this: unknown, more?: ArrayBuffer) {
      if (more === undefined) read.call(this, more);
    };
    onExceeded(Math.max(size, announced));
  };
  return true;
}

/** The length the message at the head of the buffer announces (its first 4 bytes, big-endian), plus that header. */
function announcedSize(chunks: Uint8Array[]): number {
  const head = chunks[0];
  if (!head || head.length < 4) return 0;
  return ((head[0]! << 24) >>> 0) + (head[1]! << 16) + (head[2]! << 8) + head[3]! + 4;
}

function symbolNamed(target: object, description: string): symbol | undefined {
  return Object.getOwnPropertySymbols(target).find((s) => s.description === description);
}

function ownSymbolValue(target: object, description: string): unknown {
  const key = symbolNamed(target, description);
  return key === undefined ? undefined : (target as Record<symbol, unknown>)[key];
}
