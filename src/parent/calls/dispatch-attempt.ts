import { debuglog } from 'node:util';
import type { ResolvedOptions } from '../../options/table.js';
import type { CallMessage } from '../../protocol/messages.js';
import { batchBytesFor, type StreamItemsMessage, type StreamLimits } from '../../protocol/stream-messages.js';
import { guardAttemptMemory, rssBudget } from './attempt-memory.js';
import type { PoolChild } from '../pool/pool-child.js';
import type { EarlyEnd, PendingCall } from './pending-call.js';
import type { ChildReply } from './pending-replies.js';

const debug = debuglog('isolated-call');
let nextMessageId = 1;

/** How an attempt sent by {@link dispatchAttempt} ends. */
export interface AttemptOutcomes {
  readonly reply: (reply: ChildReply) => void;
  readonly failure: (error: Error) => void;
  /** V8's serializer refused a part of the arguments (a host object): nothing was sent. */
  readonly unsendable: (error: Error) => void;
}

/**
 * Starts one attempt of `call` on `child`: its `attemptTimeout`, its
 * message (a fresh id each attempt), a stream's limits, and the routing of
 * what the child sends for it (the reply, callbacks, stream values).
 */
export function dispatchAttempt(
  call: PendingCall,
  child: PoolChild,
  options: ResolvedOptions,
  endEarly: EarlyEnd,
  outcomes: AttemptOutcomes,
): void {
  call.startAttempt(child, options.attemptTimeout, endEarly);
  const { job } = call;
  const rssLimitMb = rssBudget(options.maxRss, job);
  let message: CallMessage;
  try {
    message = call.message(
      nextMessageId++,
      {
        exitAfter: options.keepAlive === 0,
        // Reading the peak RSS costs more than a warm round trip: only for onCallEnd, maxChildRss, maxRss or a subscriber to the call events.
        measure: options.onCallEnd !== undefined || options.maxChildRss !== Infinity || rssLimitMb !== Infinity || job.trace !== undefined,
        lastAttempt: call.attempts - call.freeAttempts > options.retries,
        stream: job.stream ? streamLimits(options) : undefined,
      },
      child.channel,
    );
  } catch (error) {
    outcomes.unsendable(error as Error);
    return;
  }
  if (message.stream) {
    // No error: a stream whose consumer stopped ends as returned, even when its child must be killed for it.
    job.stream?.bind(child, message.id, message.stream, { grace: options.grace, endCall: () => endEarly(call, undefined, true) });
  }
  if (debug.enabled)
    debug('%s: call %d (attempt %d) on child pid %d, module %s', job.label, message.id, call.attempts, child.pid, job.target.module);
  // maxRss: watched from here to the attempt's end.
  const ends = guardAttemptMemory(call, child, rssLimitMb, outcomes);
  child.request(message, {
    label: job.label,
    resolve: ends.reply,
    reject: ends.failure,
    callback: (callback) => (call.callbacks ? call.callbacks.receive(callback, child) : 'its call passed no functions'),
    ...(job.stream ? { items: (items: StreamItemsMessage) => job.stream?.receive(items, child) } : {}),
  });
}

function streamLimits(options: ResolvedOptions): StreamLimits {
  const { streamAhead: items, streamAheadBytes: bytes, maxMessageBytes } = options;
  return { items, bytes, batchBytes: batchBytesFor(maxMessageBytes) };
}
