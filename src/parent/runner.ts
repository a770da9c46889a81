import type { ResolvedOptions } from '../options/table.js';
import type { RunnerCall } from './call-job.js';

export type { RunnerCall } from './call-job.js';

/**
 * Where a method's calls run when not in local child processes: set with
 * `@Isolated({ runner })`, `isolate(fn, { runner })` or `configure({ runner })`.
 * Without one (the default) each call runs in a local child. The SDK prepares
 * the call as for a local child (`this` and the arguments encoded, the target
 * named) and hands it to `run`; the method's code, types and call sites stay
 * the same. `isolated-call/bullmq`'s `bullmqRunner()` is one.
 */
export interface CallRunner {
  /** Names the runner in messages, e.g. `bullmq queue "pdf"`. */
  readonly name: string;
  /**
   * `true` when the call runs on another machine, which can't read this
   * one's temporary files: large binary data and strings are then encoded
   * inside the message instead of beside it.
   */
  readonly inline: boolean;
  /**
   * Runs one prepared call and settles as a local call does: the method's
   * value, or the error it threw (rebuilt as its own class), or an SDK error.
   * Called by the SDK; `options` are the method's resolved options.
   */
  run(call: RunnerCall, options: ResolvedOptions): Promise<unknown>;
}
