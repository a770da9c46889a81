/**
 * Everything a child sends is untrusted (it may run a dependency processing
 * hostile data): it goes through parseChildMessage, then to the call it
 * names. Anything malformed fails that call (or, without a usable id, every
 * call of the child) with a ProtocolError, and the child is killed.
 */
import { discardChildBlobs, discardReplyBlobs, replyFilesProblem } from '../../codec/blobs.js';
import { parseChildMessage } from '../../protocol/parse-child-message.js';
import type { CallbackMessage } from '../../protocol/messages.js';
import type { StreamItemsMessage } from '../../protocol/stream-messages.js';
import type { PendingReplies } from '../calls/pending-replies.js';
import type { ProtocolFailureHint } from './protocol-failure.js';

/** What routing needs of the child's handle. */
export interface ChildRoutes {
  readonly pid: number | undefined;
  readonly pending: PendingReplies;
  /** The child said `ready`. */
  readonly ready: () => void;
  /** The child said whether what it wrote to stdout and stderr is still draining (output-messages.ts). */
  readonly output: (draining: boolean) => void;
  /** The child broke the protocol: fail call `id` (or every call) and kill it. */
  readonly protocolFailure: (reason: string, id?: number, hint?: ProtocolFailureHint) => void;
}

/** Checks one message from the child and hands it to the call it names. Never throws. */
export function routeChildMessage(message: unknown, routes: ChildRoutes): void {
  const { pid, pending, protocolFailure } = routes;
  try {
    const parsed = parseChildMessage(message);
    if (parsed.kind === 'foreign') return; // someone else's traffic on the channel
    if (parsed.kind === 'invalid') {
      protocolFailure(parsed.reason, parsed.id, parsed.otherVersion ? 'other-version' : 'subverted');
      return;
    }
    const reply = parsed.message;
    if (reply.type === 'ready') {
      routes.ready();
      return;
    }
    if (reply.type === 'output') {
      routes.output(reply.draining);
      return;
    }
    if (reply.type === 'stream-items') {
      routeStreamItems(reply, routes);
      return;
    }
    if (reply.type === 'callback') {
      routeCallback(reply, routes);
      return;
    }
    const files = replyFilesProblem(reply.type === 'result' ? reply.value : reply.error, pid);
    if (files !== undefined) {
      protocolFailure(`${reply.type} for call ${reply.id}: ${files}`, reply.id);
      return;
    }
    const waiting = pending.take(reply.id);
    // A late reply to a call that timed out or was aborted: only its files need handling.
    if (waiting) waiting.resolve(reply);
    else discardReplyBlobs(reply, pid);
  } catch (error) {
    protocolFailure(`it could not be handled (${String(error)})`);
  }
}

/** Values of a streamed call: each file they name checked, then handed to the call, which stays pending. */
function routeStreamItems(message: StreamItemsMessage, { pid, pending, protocolFailure }: ChildRoutes): void {
  for (const item of message.items) {
    const files = replyFilesProblem(item, pid);
    if (files !== undefined) {
      protocolFailure(`stream-items for call ${message.id}: ${files}`, message.id);
      return;
    }
  }
  const waiting = pending.get(message.id);
  if (waiting?.items) waiting.items(message);
  else if (waiting) protocolFailure(`stream-items for call ${message.id}, which is not a streamed call`, message.id);
  else for (const item of message.items) discardReplyBlobs({ type: 'result', value: item }, pid); // a stream ended early
}

/**
 * A stub call for a function of the call's arguments: its files are checked
 * as a reply's are, then the call's callback host takes it (or says why it
 * breaks the protocol: an index the call never passed). The call stays pending.
 */
function routeCallback(message: CallbackMessage, { pid, pending, protocolFailure }: ChildRoutes): void {
  const files = replyFilesProblem(message.args, pid);
  if (files !== undefined) {
    protocolFailure(`callback for call ${message.id}: ${files}`, message.id);
    return;
  }
  const waiting = pending.get(message.id);
  if (!waiting) {
    discardChildBlobs(message.args, pid); // a call that ended (timeout, abort): nobody runs it
    return;
  }
  const problem = waiting.callback ? waiting.callback(message) : 'its call passed no functions';
  if (problem !== undefined) protocolFailure(`callback for call ${message.id}: ${problem}`, message.id);
}
