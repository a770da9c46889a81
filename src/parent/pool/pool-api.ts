import { processDefaults } from '../../options/process-defaults.js';
import { isolatedMetaOf } from '../../targets/records.js';
import { poolOf } from '../calls/invoke.js';
import { registry } from './child-registry.js';
import type { MethodStats } from './method-stats.js';
import { endStandbys } from './standby.js';

export { configure, type ProcessOptions } from '../../options/configure.js';

/**
 * Per-method counters (calls, failures, queue length, running calls, children
 * alive) and latency percentiles (wait and run time over the recent calls);
 * every method of the process.
 */
export function stats(): MethodStats[] {
  return [...registry().pools].map((pool) => pool.stats());
}

/** Options of {@link shutdown}. */
export interface ShutdownOptions {
  /** Kill children with calls still running (those calls reject). Default: `false`, let them finish. */
  force?: boolean;
}

/**
 * Ends every warm and standby child and rejects queued calls with
 * `ShutdownError`. Calls already running finish, unless `force` is set.
 * Resolves once every child of this SDK is gone. Later calls start afresh.
 */
export async function shutdown(options: ShutdownOptions = {}): Promise<void> {
  // Every pool and standby of the process, whichever build (CommonJS or ESM) made it.
  const { pools } = registry();
  const waits: Promise<void>[] = [];
  for (const pool of [...pools]) waits.push(...pool.close(options.force === true));
  pools.clear();
  waits.push(...endStandbys());
  // Pools are rebuilt on the next call of each method.
  processDefaults().defaultsVersion++;
  // The children being waited for are unreferenced (idle children never keep
  // the parent alive), so without this an `await shutdown()` at a script's
  // top level would see the event loop empty and Node exit with code 13.
  const keepAlive = setInterval(() => {}, 1 << 30);
  try {
    await Promise.all(waits);
  } finally {
    clearInterval(keepAlive);
  }
}

/**
 * Starts a child ahead of the first call of an isolated method: its standby
 * child (`standby: true`) or one warm child (`keepAlive` > 0). Does nothing
 * for other methods. Never at import time: you choose when to pay for it.
 *
 * @param method A decorated method (`Class.prototype.method`, `Class.method`) or an `isolate()` function.
 * @throws InvalidOptionError when `method` is not isolated.
 */
export function warmUp(method: Function): void {
  const meta = isolatedMetaOf(method, 'warmUp()');
  poolOf(meta, meta.owner?.name).warmUp();
}
