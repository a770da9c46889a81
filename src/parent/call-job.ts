import type { Encoded } from '../codec/tags.js';
import type { TargetRef } from '../protocol.js';
import type { CallTraceContext } from './call-tracing.js';

/** One call of an isolated method, prepared and encoded, waiting to run. */
export interface CallJob {
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
}
