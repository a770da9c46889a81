import type { CollectedCallbacks } from '../codec/callback-tag.js';
import type { Encoded } from '../codec/tags.js';
import type { TargetRef } from '../protocol/messages.js';
import type { CallTraceContext } from './call-tracing.js';
import type { ChildReply } from './pending-replies.js';
import type { StreamSink } from './stream-sink.js';

/**
 * A call as the SDK hands it to a runner (runner.ts): encoded, with its
 * target and signals. Public; it names none of the SDK's machinery, so the
 * published types don't pull it in (nor `@types/node`).
 */
export interface RunnerCall {
  /** `Class.method`, for messages. */
  readonly label: string;
  readonly target: TargetRef;
  readonly self: Encoded | undefined;
  readonly args: Encoded;
  /** AbortSignals found in the arguments, in the order the child numbers them. */
  readonly signals: readonly AbortSignal[];
  readonly startedAt: number;
  /** The call's context on the `isolated-call:call` TracingChannel, when anyone listened as it was made. */
  readonly trace: CallTraceContext | undefined;
  /**
   * Large parts stay inside the message (no payload files beside it, either
   * way): set for calls bound to or coming from another machine.
   */
  readonly inline?: boolean;
}

/** One call of an isolated method, prepared and encoded, waiting to run. */
export interface CallJob extends RunnerCall {
  /** Functions found in the arguments, which the child may call back; absent when there are none. */
  readonly callbacks?: CollectedCallbacks;
  /**
   * Turns the child's reply into the call's value. Default: reply.ts's
   * interpretReply, which decodes it. A BullMQ worker passes the reply on
   * encoded instead: it must not load the user's classes to decode them.
   */
  readonly interpret?: (reply: ChildReply, job: CallJob, pid: number | undefined) => Promise<unknown>;
  /** A lower `maxRss` for this call alone, in MB: a fleet job's own (bullmq/worker.ts), which can't raise the worker's. */
  readonly maxRss?: number;
  /** Set for an async generator method: where the values it yields go (stream-sink.ts). */
  readonly stream?: StreamSink | undefined;
}
