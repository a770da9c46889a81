import type { CallTraceContext } from './call-trace.js';
import type { Encoded } from './encoded.js';
import type { TargetRef } from './target-ref.js';

/**
 * A call as the SDK hands it to a runner (options/runner.ts): encoded, with
 * its target and signals. Public; it names none of the SDK's machinery, so
 * the published types don't pull it in (nor `@types/node`).
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
   * Large parts stay inside the message (no blob files beside it, either
   * way): set for calls bound to or coming from another machine.
   */
  readonly inline?: boolean;
}

/**
 * A runner as the option table holds it. Its `run()` takes the method's
 * resolved options, whose type the table above this layer derives; the
 * public `CallRunner` (options/runner.ts) names that type.
 */
export interface Runner {
  /** Names the runner in messages, e.g. `bullmq queue "pdf"`. */
  readonly name: string;
  /**
   * `true` when the call runs on another machine, which can't read this
   * one's temporary files: large binary data and strings are then encoded
   * inside the message instead of beside it.
   */
  readonly inline: boolean;
  run(call: RunnerCall, options: unknown): Promise<unknown>;
}
