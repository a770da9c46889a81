/**
 * The child's side of callbacks: the stubs that stand for the functions of a
 * call's arguments (codec/callback-tag.ts). Calling one sends its arguments to
 * the parent, which runs the function and answers; the stub's promise settles
 * with the answer. A stub lives as long as its call: once the method has
 * settled, calling it rejects with CallbackExpiredError.
 */
import { decode } from '../codec/decode.js';
import { encode } from '../codec/encode.js';
import { argumentBlobReader, discardBlobs, handOverBlobs } from '../codec/blobs.js';
import { CallbackExpiredError } from '../errors/callback-expired-error.js';
import { importedExports } from './load-target.js';
import type { Encoded } from '../codec/tags.js';
import { SerializationError } from '../errors/serialization-error.js';
import { callbackMessage } from '../protocol/build-messages.js';
import { sendToParent } from './parent-channel.js';
import type { CallbackErrorMessage, CallbackMessage, CallbackResultMessage } from '../protocol/messages.js';

interface Waiting {
  readonly path: string;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** The open stub sets, by call id, for the parent's answers to find. */
const open = new Map<number, CallStubs>();

/** The stubs of one call. */
export class CallStubs {
  private seq = 0;
  private closed = false;
  private readonly waiting = new Map<number, Waiting>();

  /**
   * @param id The call's message id.
   * @param target `Class.method`, for the errors.
   * @param blobDir The parent's folder, where large arguments go.
   * @param module The URL of the method's module: an error class the parent's function throws is also looked for among its exports.
   */
  constructor(
    private readonly id: number,
    private readonly target: string,
    private readonly blobDir: string,
    private readonly module: string,
  ) {
    open.set(id, this);
  }

  /** The decoder's `callback` hook: a function named like the parent's that calls it back. */
  readonly stub = (index: number, path: string, name: string): Function => {
    const call = (...args: unknown[]) => this.invoke(index, path, args);
    Object.defineProperty(call, 'name', { value: name || path, configurable: true });
    return call;
  };

  /** The method settled: stubs called from now on reject, and so do calls the parent hasn't answered. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    open.delete(this.id);
    for (const { path, reject } of this.waiting.values()) reject(new CallbackExpiredError(path, this.target, true));
    this.waiting.clear();
  }

  /** As the parent does for a result's error: an unregistered class exported from the method's module is found by name. */
  private readonly errorClassFinder = (name: string): Function | undefined => {
    const exports = importedExports(this.module);
    const found = exports?.[name] ?? (exports?.default as Record<string, unknown> | undefined)?.[name];
    return typeof found === 'function' && found.prototype instanceof Error ? found : undefined;
  };

  private invoke(index: number, path: string, args: unknown[]): Promise<unknown> {
    if (this.closed) return handled(Promise.reject(new CallbackExpiredError(path, this.target)));
    const seq = this.seq + 1;
    let encoded: ReturnType<typeof encode>;
    let message: CallbackMessage;
    try {
      encoded = encode(args, `${path}(…)`, { blobDir: this.blobDir });
      message = packedCall(this.id, index, seq, encoded, path);
    } catch (error) {
      return handled(Promise.reject(error));
    }
    this.seq = seq;
    const answer = new Promise((resolve, reject) => this.waiting.set(seq, { path, resolve, reject }));
    const failed = (error: Error) => {
      discardBlobs(encoded.f);
      const waiting = this.waiting.get(seq);
      this.waiting.delete(seq);
      waiting?.reject(error);
    };
    try {
      sendToParent(message, (error) => {
        if (error) failed(error);
        else handOverBlobs(encoded.f); // the parent's to delete now
      });
    } catch (error) {
      failed(error as Error); // the channel is closed: the parent is gone, and so is the call
    }
    return handled(answer);
  }

  /** The parent's answer to stub call `seq`. */
  answer(message: CallbackResultMessage | CallbackErrorMessage): void {
    const waiting = this.waiting.get(message.seq);
    if (!waiting) return;
    this.waiting.delete(message.seq);
    const hooks = { side: 'the child', readBlob: argumentBlobReader(true), findErrorClass: this.errorClassFinder } as const;
    try {
      if (message.type === 'callback-result') waiting.resolve(decode(message.value, `${waiting.path}(…) result`, hooks));
      else waiting.reject(decode(message.error, 'error', hooks));
    } catch (error) {
      waiting.reject(error);
    }
  }
}

/** The callback message; arguments V8's serializer refuses (a host object) fail as the arguments'. */
function packedCall(id: number, index: number, seq: number, encoded: Encoded, path: string): CallbackMessage {
  try {
    return callbackMessage(id, index, seq, encoded);
  } catch (error) {
    discardBlobs(encoded.f);
    throw new SerializationError(`${path}(…)`, `Node could not serialize it (${(error as Error).message})`, { cause: error });
  }
}

/** Routes the parent's answer to its call's stubs; an answer for a call that is over is dropped. */
export function answerCallback(message: CallbackResultMessage | CallbackErrorMessage): void {
  open.get(message.id)?.answer(message);
}

/**
 * Marks a stub's promise as handled, so one nobody awaits (a fire-and-forget
 * progress report) doesn't end the child with an unhandled rejection when the
 * parent's function throws. Whoever awaits it still gets the rejection.
 */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
