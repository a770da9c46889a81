import type { CallbackMessage, ErrorMessage, ResultMessage } from '../../protocol/messages.js';
import type { StreamItemsMessage } from '../../protocol/stream-messages.js';

export type ChildReply = ResultMessage | ErrorMessage;

/** Where a call's outcome goes: exactly one of the two is called, unless the call is forgotten. */
export interface Pending {
  /** The call's `Class.method`, for the errors about this child. */
  readonly label?: string;
  resolve(reply: ChildReply): void;
  reject(error: Error): void;
  /** A streamed call's values as they come (stream-messages.ts); absent for any other call. */
  items?(message: StreamItemsMessage): void;
  /**
   * The call's child called back a function of the arguments (callback-host.ts).
   * Returns why the message breaks the protocol (the call then fails with a
   * ProtocolError), or undefined when it was taken.
   */
  callback?(message: CallbackMessage): string | undefined;
}

/**
 * The calls a child owes a reply, by message id. `onEmpty` runs whenever the
 * last one is taken: an idle child must stop holding the event loop.
 */
export class PendingReplies {
  private readonly byId = new Map<number, Pending>();

  constructor(private readonly onEmpty: () => void) {}

  get size(): number {
    return this.byId.size;
  }

  add(id: number, pending: Pending): void {
    this.byId.set(id, pending);
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  /** The call waiting for `id`, left waiting (a stream's values and a callback call come before its reply). */
  get(id: number): Pending | undefined {
    return this.byId.get(id);
  }

  /** Removes and returns the call waiting for `id`, if any. */
  take(id: number): Pending | undefined {
    const pending = this.byId.get(id);
    if (pending === undefined) return undefined;
    this.byId.delete(id);
    if (this.byId.size === 0) this.onEmpty();
    return pending;
  }

  /** Fails every pending call, with one error or one made for each call. */
  rejectAll(error: Error | ((pending: Pending) => Error)): void {
    const all = [...this.byId.values()];
    this.byId.clear();
    if (all.length > 0) this.onEmpty();
    for (const pending of all) pending.reject(typeof error === 'function' ? error(pending) : error);
  }
}
