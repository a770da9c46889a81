import type { CollectedCallbacks } from '../../codec/callback-tag.js';
import type { RunnerCall } from '../../contracts/runner.js';
import type { ChildReply } from './pending-replies.js';
import type { StreamSink } from './stream-sink.js';

/** One call of an isolated method, prepared and encoded, waiting to run. */
export interface CallJob extends RunnerCall {
  /** Functions found in the arguments, which the child may call back; absent when there are none. */
  readonly callbacks?: CollectedCallbacks;
  /**
   * Turns the child's reply into the call's value. Default: read-reply.ts's
   * interpretReply, which decodes it. A BullMQ worker passes the reply on
   * encoded instead: it must not load the user's classes to decode them.
   */
  readonly interpret?: (reply: ChildReply, job: CallJob, pid: number | undefined) => Promise<unknown>;
  /** A lower `maxRss` for this call alone, in MB: a fleet job's own (bullmq/worker.ts), which can't raise the worker's. */
  readonly maxRss?: number;
  /** Set for an async generator method: where the values it yields go (stream-sink.ts). */
  readonly stream?: StreamSink | undefined;
}
