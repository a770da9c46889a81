import type { CollectedCallbacks } from '../../codec/callback-tag.js';
import { decode } from '../../codec/decode.js';
import { encode } from '../../codec/encode.js';
import { blobDirectory, discardBlobs, discardChildBlobs, replyBlobReader } from '../../codec/blobs.js';
import type { Encoded } from '../../codec/tags.js';
import { IsolatedCallError } from '../../errors/isolated-call-error.js';
import { ProtocolError } from '../../errors/protocol-error.js';
import { SerializationError } from '../../errors/serialization-error.js';
import { callbackErrorMessage, callbackResultMessage } from '../../protocol/build-messages.js';
import type { CallbackMessage, ParentMessage } from '../../protocol/messages.js';
import { packEncoded } from '../../protocol/wire-value.js';
import { parentSide } from './read-reply.js';
import { encodeThrown } from '../../protocol/encode-thrown.js';

/** What the host needs of the attempt's child: where to send the answers. */
export interface CallbackChild {
  readonly pid: number | undefined;
  notify(message: ParentMessage): void;
}

/** One stub call waiting its turn. `args` is the error to answer with when the arguments could not be rebuilt. */
interface Invocation {
  readonly id: number;
  readonly seq: number;
  readonly fn: Function;
  readonly path: string;
  readonly args: unknown[] | Error;
  readonly child: CallbackChild;
}

/**
 * The parent's side of one call's callbacks: runs the functions of the
 * arguments when the child calls their stubs, one at a time in the order the
 * calls arrived (an async function is awaited before the next call starts,
 * so a careful user's invariant, "called in order, finished in order", holds),
 * and answers each with its result or its error. The call settles only once
 * every stub call that arrived before the child's reply has run, so the
 * caller sees every progress report before the result. After the call
 * settled (timeout, abort, crash) nothing more runs.
 */
export class CallbackHost {
  private readonly queue: (Invocation | undefined)[] = [];
  private head = 0;
  private running = false;
  private closed = false;
  private readonly idleWaiters: (() => void)[] = [];
  /** Files of large callback results, deleted when the call settles (the child normally consumes them first). */
  private readonly files: string[] = [];

  constructor(private readonly callbacks: CollectedCallbacks) {}

  /**
   * A stub call from the attempt's child, validated by parseChildMessage and
   * its files checked. Returns why it breaks the protocol (an index the call
   * never passed, a tree the codec never writes), or undefined once queued.
   */
  receive(message: CallbackMessage, child: CallbackChild): string | undefined {
    const { pid } = child;
    if (this.closed) {
      discardChildBlobs(message.args, pid);
      return undefined;
    }
    const fn = this.callbacks.fns[message.callback];
    if (fn === undefined) {
      discardChildBlobs(message.args, pid);
      const count = this.callbacks.fns.length;
      return `it calls back function #${message.callback}, but the call passed ${count} function${count === 1 ? '' : 's'}`;
    }
    const path = this.callbacks.paths[message.callback]!;
    let args: unknown[] | Error;
    try {
      const decoded = decode(message.args, `${path}(…)`, { ...parentSide(pid), readBlob: replyBlobReader(message.args, pid) });
      if (!Array.isArray(decoded)) return `its arguments are ${typeof decoded}, not an array`;
      args = decoded;
    } catch (error) {
      if (error instanceof ProtocolError) return error.message;
      if (!(error instanceof IsolatedCallError)) return `its arguments can't be decoded (${String(error)})`;
      args = error; // a SerializationError of this side (a class not registered here): the stub rejects with it
    } finally {
      discardChildBlobs(message.args, pid);
    }
    this.queue.push({ id: message.id, seq: message.seq, fn, path, args, child });
    if (!this.running) void this.pump();
    return undefined;
  }

  /** Resolves once every stub call received so far has run (or the call settled). */
  idle(): Promise<void> {
    if (!this.running || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The call settled: stub calls not started yet are dropped, large results deleted. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.head = 0;
    discardBlobs(this.files.splice(0));
    this.wake();
  }

  private async pump(): Promise<void> {
    this.running = true;
    while (this.head < this.queue.length && !this.closed) {
      const invocation = this.queue[this.head]!;
      this.queue[this.head++] = undefined;
      await this.run(invocation);
    }
    this.queue.length = 0;
    this.head = 0;
    this.running = false;
    this.wake();
  }

  private async run(invocation: Invocation): Promise<void> {
    const { id, seq, fn, path, args, child } = invocation;
    let answer: ParentMessage;
    try {
      if (!Array.isArray(args)) throw args;
      // Called without a `this`, as a function taken out of an object is.
      let value: unknown = fn(...args);
      if (isThenable(value)) value = await value;
      answer = callbackResultMessage(id, seq, this.encodeResult(value, path));
    } catch (thrown) {
      answer = callbackErrorMessage(id, seq, encodeThrown(thrown));
    }
    if (!this.closed) child.notify(answer);
  }

  /** The result, packed for the wire here: a part V8's serializer refuses fails as the result's, and the stub rejects. */
  private encodeResult(value: unknown, path: string): Encoded {
    const root = `${path}(…) result`;
    const encoded = encode(value, root, { blobDir: blobDirectory() });
    try {
      const packed = packEncoded(encoded);
      if (encoded.f) this.files.push(...encoded.f);
      return packed;
    } catch (error) {
      discardBlobs(encoded.f);
      throw new SerializationError(root, `Node could not serialize it (${(error as Error).message})`, { cause: error });
    }
  }

  private wake(): void {
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
