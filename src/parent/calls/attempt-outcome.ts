import { discardReplyBlobs } from '../../codec/blobs.js';
import { ChildExitedError, ChildOutOfMemoryError } from '../../errors/child-exited-error.js';
import { ProtocolError } from '../../errors/protocol-error.js';
import type { ChildReply } from './pending-replies.js';
import type { CallOutcome, PendingCall } from './pending-call.js';
import type { PoolChild } from '../pool/pool-child.js';
import { interpretReply } from './read-reply.js';

/** Plain data, the common warm case: nothing to rebuild, no file to read, no callback to wait for. */
export function plainResult(call: PendingCall, reply: ChildReply): reply is ChildReply & { type: 'result' } {
  // (A worker's pool passes every reply on as it is: job.interpret.)
  return reply.type === 'result' && !reply.value.t && !reply.value.p && call.callbacks === undefined && !call.job.interpret;
}

/**
 * The call's outcome from any other reply, given to `settle`; never rejects.
 * Every callback the child made before replying runs first.
 */
export async function interpretOutcome(
  call: PendingCall,
  child: PoolChild,
  reply: ChildReply,
  settle: (outcome: CallOutcome) => void,
): Promise<void> {
  try {
    await call.callbacks?.idle();
    settle({ value: await (call.job.interpret ?? interpretReply)(reply, call.job, child.pid) });
  } catch (error) {
    // A reply whose value breaks the rules (a blob file it may not name)
    // condemns its child, even if it was kept warm a moment ago.
    if (error instanceof ProtocolError) child.kill(`protocol error in its reply: ${error.message}`, 'protocol-error');
    settle({ error });
  } finally {
    discardReplyBlobs(reply, child.pid);
  }
}

/**
 * Whether an attempt that failed with `error` (its child died or was ended)
 * is tried again, within `retries`; counts a free attempt when the child died
 * on a code cache. Only a crash is retried: running out of memory would
 * happen again, and a stream that has delivered values would deliver them twice.
 */
export function retriable(call: PendingCall, child: PoolChild, error: Error, retries: number): boolean {
  const crashed = error instanceof ChildExitedError && !(error instanceof ChildOutOfMemoryError);
  if (!crashed || call.job.stream?.delivered) return false;
  // A child that died before `ready` on a code cache never started the call: once more, without that cache, and not one of `retries`.
  if (child.diedOnCodeCache) call.freeAttempts++;
  return call.attempts - call.freeAttempts <= retries && !call.settled;
}
