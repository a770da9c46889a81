import type { ChildProcess } from 'node:child_process';
import type { CallMessage, ParentMessage } from '../../protocol/messages.js';
import type { ChannelMemory } from '../../protocol/build-messages.js';
import { isCloneError } from './child-process.js';

/** What the sender tells its handle. */
export interface SendFailures {
  /** Writing call `id` failed: the child is gone or going (a warm child killed a moment ago gives EPIPE). */
  readonly lost: (id: number, error: Error) => void;
  /** Node could not serialize call `id` at all: nothing was sent. */
  readonly unsendable: (id: number, error: Error) => void;
}

/**
 * The parent's side of one child's channel: messages go out in order, and
 * only once the child listens. A child that starts through Node's ESM loader
 * (a module preloaded with --import, a --loader, an app's ES module bundle)
 * loads over several event-loop turns, and Node reads the channel
 * meanwhile: a call sent earlier would reach only whoever listened then
 * (such a preload), or no one. For those the sender waits for `ready`; a
 * child whose entry is dist/child.cjs listens before Node first reads, and
 * gets its first call at once (ChildCommand.listensAtOnce).
 */
export class ChildSender implements ChannelMemory {
  private readonly held: ParentMessage[] = [];
  private isReady = false;
  /** Targets written to this child: later calls of them leave the target out. */
  private readonly knownTargets = new Set<number>();
  /** The folder the last call written to this child named. */
  blobDir: string | undefined;

  /** @param listening The child listens before Node reads its channel (ChildCommand.listensAtOnce): no need to wait for `ready`. */
  constructor(
    private readonly child: ChildProcess,
    private readonly failures: SendFailures,
    listening = false,
  ) {
    this.isReady = listening;
  }

  /** The child is listening: what was held goes out, in order (a call aborted meanwhile too, then its abort). */
  ready(): void {
    if (this.isReady) return;
    this.isReady = true;
    for (const message of this.held.splice(0)) this.send(message);
  }

  /** Whether a call naming this target was written to the child already. */
  knowsTarget(targetId: number): boolean {
    return this.knownTargets.has(targetId);
  }

  /** Sends a message now, or once the child is ready. */
  send(message: ParentMessage): void {
    if (!this.isReady) {
      this.held.push(message);
      return;
    }
    if (message.type === 'call') this.write(message);
    else this.notify(message);
  }

  private write(message: CallMessage): void {
    try {
      this.child.send(message, (error) => {
        if (error) this.failures.lost(message.id, error);
      });
      // Written (a later failure means the child is gone): what it said need not be said again.
      if (message.target) this.knownTargets.add(message.targetId);
      if (message.blobDir !== undefined) this.blobDir = message.blobDir;
    } catch (error) {
      if (isCloneError(error)) this.failures.unsendable(message.id, error as Error);
      else this.failures.lost(message.id, error as Error);
    }
  }

  /** Fire-and-forget (an abort): losing it to a dead child is fine. */
  private notify(message: ParentMessage): void {
    try {
      this.child.send(message, () => {});
    } catch {
      // the child is gone; nothing to tell it
    }
  }
}
