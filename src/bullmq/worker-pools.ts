import type { Encoded } from '../codec/tags.js';
import type { IsolatedOptions } from '../options/types.js';
import { resolveOptions } from '../options/resolve.js';
import type { CallJob } from '../parent/calls/call-job.js';
import { childCommand } from '../parent/children/child-command.js';
import { MethodPool } from '../parent/pool/method-pool.js';
import type { ChildReply } from '../parent/calls/pending-replies.js';
import type { TargetRef } from '../protocol/messages.js';

/** A job as the worker runs it: the target found on this machine, the payload still encoded. */
export interface LocalRun {
  readonly label: string;
  readonly target: TargetRef;
  readonly self: Encoded | undefined;
  readonly args: Encoded;
  readonly signals: readonly AbortSignal[];
  /** The job's `maxRss`, which may lower the worker's for this job (parent/calls/attempt-memory.ts). */
  readonly maxRss?: number | undefined;
}

/**
 * The worker's local pools, one per target, as `@Isolated()` would have in
 * the caller's process: the same MethodPool runs each job in a fresh child
 * (or a warm one with keepAlive), with its timeouts, OOM detection and
 * exit handling. Retries are BullMQ's attempts, not the pool's.
 */
export class WorkerPools {
  private readonly pools = new Map<string, MethodPool>();

  constructor(
    private readonly options: IsolatedOptions,
    private readonly concurrency: number,
  ) {
    resolveOptions(options); // a bad option (keepAlive: 2 ** 31) fails startWorker(), not every job
  }

  /** Runs one job; resolves with the child's reply as it came (encoded: this process loads no user code). */
  run(run: LocalRun): Promise<ChildReply> {
    const job: CallJob = {
      label: run.label,
      target: run.target,
      self: run.self,
      args: run.args,
      signals: run.signals,
      startedAt: performance.now(),
      trace: undefined,
      inline: true,
      interpret: async (reply) => reply,
      ...(run.maxRss === undefined ? {} : { maxRss: run.maxRss }),
    };
    return this.poolFor(run).run(job) as Promise<ChildReply>;
  }

  /**
   * Drops the pool of a target its child couldn't load or refused: a job names
   * its target, so pools for names that lead nowhere would otherwise pile up.
   */
  forget(target: TargetRef): void {
    const key = keyOf(target);
    const pool = this.pools.get(key);
    // Another job of the same target still in it: the last one to fail drops it.
    if (!pool || pool.stats().queued > 0 || pool.stats().running > 0) return;
    this.pools.delete(key);
    void Promise.all(pool.close(false));
  }

  /** Ends every pool's children (running ones too when `force`). */
  async close(force: boolean): Promise<void> {
    await Promise.all([...this.pools.values()].flatMap((pool) => pool.close(force)));
    this.pools.clear();
  }

  private poolFor(run: LocalRun): MethodPool {
    const key = keyOf(run.target);
    let pool = this.pools.get(key);
    if (!pool?.open) {
      // The caller's timeout and abort arrive as signals (worker.ts); the pool's own stay off.
      const options = resolveOptions(this.options, { concurrency: this.concurrency, retries: 0, timeout: 0, runner: undefined });
      pool = new MethodPool(run.label, options, childCommand(options, run.target.module));
      this.pools.set(key, pool);
    }
    return pool;
  }
}

function keyOf({ module, owner, method }: TargetRef): string {
  return `${module}\0${owner}\0${method ?? ''}`;
}
