import type { Runner, RunnerCall } from '../contracts/runner.js';
import type { ResolvedOptions } from './table.js';

export type { RunnerCall } from '../contracts/runner.js';

/**
 * Where a method's calls run when not in local child processes: set with
 * `@Isolated({ runner })`, `isolate(fn, { runner })` or `configure({ runner })`.
 * Without one (the default) each call runs in a local child. The SDK prepares
 * the call as for a local child (`this` and the arguments encoded, the target
 * named) and hands it to `run`; the method's code, types and call sites stay
 * the same. `isolated-call/bullmq`'s `bullmqRunner()` is one.
 */
export interface CallRunner extends Runner {
  /**
   * Runs one prepared call and settles as a local call does: the method's
   * value, or the error it threw (rebuilt as its own class), or an SDK error.
   * Called by the SDK; `options` are the method's resolved options.
   */
  run(call: RunnerCall, options: ResolvedOptions): Promise<unknown>;
}
