import type { ChildProcess } from 'node:child_process';

type ReadCallback = (this: unknown, arrayBuffer?: ArrayBuffer) => void;

interface ChannelHandle {
  onread: ReadCallback;
  [key: symbol]: unknown;
}

/** Why the guard stopped reading a child's channel. */
export type ChannelProblem =
  /** A message grew past the limit before its end arrived. */
  | { readonly kind: 'too-large'; readonly bytes: number }
  /** Node could not parse what the child wrote (not JSON: bytes written straight to the channel's pipe). */
  | { readonly kind: 'unreadable'; readonly error: unknown };

/**
 * Guards the parent against what a child writes to its IPC channel.
 *
 * Node's 'json' channel appends what it reads to a string until a newline
 * ends the message, whatever its size: a child processing hostile data could
 * make the parent buffer and parse hundreds of megabytes, for a message it
 * then ignores. And a child that writes anything but JSON to the pipe makes
 * Node's parse throw inside the channel's read callback, which would crash
 * the parent. This wraps that callback: once the unfinished message is over
 * `limit`, or a parse throws, the buffer is dropped, every later byte from
 * that child is discarded, and `onProblem` runs (the handle kills the
 * child). End of stream still reaches Node, so the child's exit is seen as
 * usual.
 *
 * It relies on Node's internal field names (stable from Node 14 to 24) for
 * the size; without them only the parse is guarded, and it returns false.
 */
export function guardChannel(child: ChildProcess, limit: number, onProblem: (problem: ChannelProblem) => void): boolean {
  const handle = ownSymbolValue(child, 'kChannelHandle') as ChannelHandle | undefined;
  if (!handle || typeof handle.onread !== 'function') return false;
  const buffered = symbolNamed(handle, 'kJSONBuffer');
  const read = handle.onread;
  const stop = (problem: ChannelProblem) => {
    if (buffered) handle[buffered] = '';
    // Nothing more from this child is parsed; only the end of the stream goes on to Node.
    handle.onread = function discard(this: unknown, more?: ArrayBuffer) {
      if (more === undefined) read.call(this, more);
    };
    onProblem(problem);
  };
  handle.onread = function guardedRead(this: unknown, arrayBuffer?: ArrayBuffer) {
    try {
      read.call(this, arrayBuffer);
    } catch (error) {
      stop({ kind: 'unreadable', error });
      return;
    }
    // The unfinished message, in UTF-16 code units: at least a third of its bytes, at most all of them.
    const size = buffered ? (handle[buffered] as string).length : 0;
    if (size > limit) stop({ kind: 'too-large', bytes: size });
  };
  return buffered !== undefined;
}

function symbolNamed(target: object, description: string): symbol | undefined {
  return Object.getOwnPropertySymbols(target).find((s) => s.description === description);
}

function ownSymbolValue(target: object, description: string): unknown {
  const key = symbolNamed(target, description);
  return key === undefined ? undefined : (target as Record<symbol, unknown>)[key];
}
