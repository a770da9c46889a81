import type { ChildProcess } from 'node:child_process';
import { SerializationError } from '../../errors/serialization-error.js';
import type { ChildCommand } from './child-command.js';
import { type ChildRoutes, routeChildMessage } from './route-child-message.js';
import { ChildSender } from './child-sender.js';
import { guardChannel } from './message-size-guard.js';
import type { PendingReplies } from '../calls/pending-replies.js';
import type { ChildExitReason } from './child-events.js';
import { channelProblemReason, protocolFailureError, type ProtocolFailureHint } from './protocol-failure.js';

/** What one child's channel needs of its handle (child-handle.ts). */
export interface ChannelHooks {
  readonly pid: number | undefined;
  readonly pending: PendingReplies;
  /** The child said `ready` (the sender sends what it held right after). */
  readonly ready: () => void;
  /** The child said whether its output is still draining. */
  readonly output: (draining: boolean) => void;
  /** Ends the child and its process group now; its exit fails whatever is still pending on it. */
  readonly end: (why: string, reason: ChildExitReason) => void;
}

/**
 * Opens one child's channel both ways: the sender of the parent's messages
 * (child-sender.ts), and every message of the child through the one gate to
 * the call it names (route-child-message.ts), within the size guard. Returns the
 * sender.
 */
export function openChannel(child: ChildProcess, command: ChildCommand, hooks: ChannelHooks): ChildSender {
  const { pid, pending, end } = hooks;
  /**
   * The child broke the protocol: it is ended, and the call `id` names fails
   * (every pending call when it names none of them), so its slot is freed
   * through the usual exit path.
   */
  const protocolFailure = (reason: string, id?: number, hint: ProtocolFailureHint = 'subverted'): void => {
    const error = protocolFailureError(pid, reason, hint);
    end(`protocol error: ${reason}`, 'protocol-error');
    const call = id === undefined ? undefined : pending.take(id);
    if (call) call.reject(error);
    else pending.rejectAll(error);
  };
  const sender = new ChildSender(
    child,
    {
      lost: (id, error) => {
        if (pending.has(id)) end(`sending call ${id} failed: ${error.message}`, 'crash');
      },
      unsendable: (id, error) =>
        pending.take(id)?.reject(new SerializationError('args', `Node could not serialize it (${error.message})`, { cause: error, pid })),
    },
    command.listensAtOnce,
  );
  const routes: ChildRoutes = {
    pid,
    pending,
    ready: () => {
      hooks.ready();
      sender.ready();
    },
    output: hooks.output,
    protocolFailure,
  };
  // Never throws: a message that breaks the rules fails its call (or all) and condemns the child.
  child.on('message', (message) => routeChildMessage(message, routes));
  guardChannel(child, command.maxMessageBytes, (problem) => {
    const [reason, hint] = channelProblemReason(problem, command.maxMessageBytes);
    protocolFailure(reason, undefined, hint);
  });
  return sender;
}
