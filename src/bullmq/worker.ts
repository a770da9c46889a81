import { availableParallelism } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { QueueEvents, UnrecoverableError, type Job, type Worker, type WorkerOptions } from 'bullmq';
import { ChildExitedError, ChildOutOfMemoryError } from '../errors/child-exited-error.js';
import { ModuleLoadError } from '../errors/module-load-error.js';
import type { IsolatedOptions } from '../options/types.js';
import { connectionOptions, DEFAULT_MAX_PAYLOAD_BYTES, ownConnection, type RedisConnection } from './connection.js';
import { boundedWorker, sizeRefusal } from './bounded-worker.js';
import { JobRefusedError, type JobRefusal } from './errors/job-refused-error.js';
import { PayloadTooLargeError } from './errors/payload-too-large-error.js';
import { admitModule } from './module-gate.js';
import { failureReason, refusedInChild } from './remote-errors.js';
import { CANCEL_EVENT, type CancelEvent, pack, parseJobData, parsePayload } from './wire.js';
import { WorkerPools } from './worker-pools.js';
import { MAX_TIMER_MS } from '../shared/timers.js';

/** Options of {@link startWorker}. */
export interface StartWorkerOptions {
  /** The Redis server: a `redis://` URL or BullMQ's connection options. Required. */
  connection: RedisConnection;
  /** The BullMQ queue to take jobs from. Required. */
  queue: string;
  /** The folder where this machine holds the app's code; jobs name modules relative to it. Required. */
  root: string;
  /**
   * Folders outside `root` where a symlink under `root` may lead (a shared
   * folder of the app's code, linked in). A module a job names is run only if
   * its real path, after symlinks, is inside `root` or one of these. Default: `[]`.
   */
  allowLinksTo?: readonly string[];
  /** Jobs run at once, each in its own child. Default: `os.availableParallelism()`. */
  concurrency?: number;
  /** The most bytes a job's packed arguments, or its result, may take. Default: `4194304` (4 MiB). */
  maxPayloadBytes?: number;
  /**
   * Options for the local children, as `@Isolated()` takes them (`keepAlive`,
   * `standby`, `maxOldSpaceSize`, `maxRss`, `execArgv`, `env`, `grace`, …). Default: `{}`,
   * a fresh child per job. Timeout, retries and concurrency come from the job and the worker;
   * a job's `maxRss` (its caller's) may lower this one for that job, never raise it.
   */
  isolated?: IsolatedOptions;
  /** Further BullMQ Worker options (`lockDuration`, `stalledInterval`, `maxStalledCount`, `prefix`, …). Default: `{}`. */
  bullmq?: Partial<WorkerOptions>;
}

/** A running worker. */
export interface IsolatedCallWorker {
  /** The BullMQ Worker taking the jobs. */
  readonly worker: Worker;
  /** Stops taking jobs, waits for the running ones (or kills their children when `force`), closes the connections. */
  close(force?: boolean): Promise<void>;
}

/**
 * Takes isolated-call jobs from a BullMQ queue and runs each in a fresh
 * local child, as `@Isolated()` runs a call: the same timeouts, out-of-memory
 * detection and typed errors. This process imports none of the app's code;
 * a job's child imports the module the job names, under `root`.
 */
export async function startWorker(options: StartWorkerOptions): Promise<IsolatedCallWorker> {
  const connection = connectionOptions(options.connection);
  const root = resolvePath(options.root);
  const concurrency = options.concurrency ?? availableParallelism();
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const pools = new WorkerPools(options.isolated ?? {}, concurrency);
  const prefix = options.bullmq?.prefix;
  const allowLinksTo = (options.allowLinksTo ?? []).map((folder) => resolvePath(folder));

  const processor = (job: Job, _token?: string, signal?: AbortSignal) =>
    runJob(job, signal, { root, allowLinksTo, pools, maxPayloadBytes });
  const workerClient = ownConnection(connection);
  const cancelsClient = ownConnection(connection);
  const workerOptions = { ...options.bullmq, connection: workerClient.connection, concurrency };
  const worker = boundedWorker(options.queue, processor, workerOptions, maxPayloadBytes);
  // A caller's timeout or AbortSignal on a running job arrives as a BullMQ custom event; cancelJob() aborts its processor.
  const cancels = new QueueEvents(options.queue, { connection: cancelsClient.connection, ...(prefix ? { prefix } : {}) });
  (cancels as unknown as NodeJS.EventEmitter).on(CANCEL_EVENT, (event: CancelEvent) => {
    if (typeof event?.jobId === 'string') worker.cancelJob(event.jobId, String(event.signal));
  });
  worker.on('error', (error) => process.emitWarning(`isolated-call worker: ${error.message}`));
  cancels.on('error', () => {});
  await Promise.all([worker.waitUntilReady(), cancels.waitUntilReady()]);
  return {
    worker,
    async close(force = false) {
      if (force) await pools.close(true);
      await worker.close(force);
      await Promise.allSettled([cancels.close(), pools.close(false)]);
      await Promise.allSettled([workerClient.close(), cancelsClient.close()]);
    },
  };
}

interface Context {
  readonly root: string;
  readonly allowLinksTo: readonly string[];
  readonly pools: WorkerPools;
  readonly maxPayloadBytes: number;
}

async function runJob(job: Job, cancel: AbortSignal | undefined, context: Context): Promise<string> {
  const { root, allowLinksTo, pools, maxPayloadBytes } = context;
  // Everything in a job is untrusted input: anyone who can write to the queue wrote it.
  const refuse = (refusal: JobRefusal, why: string) =>
    new UnrecoverableError(failureReason(new JobRefusedError(String(job.id), refusal, why)));
  const tooLarge = sizeRefusal(job);
  if (tooLarge !== undefined) throw refuse('size', tooLarge);
  const data = parseJobData(job.data);
  if (typeof data === 'string') throw refuse('shape', data);
  if (data.payload.length > maxPayloadBytes)
    throw new UnrecoverableError(failureReason(new PayloadTooLargeError(data.label, 'args', data.payload.length, maxPayloadBytes)));
  const payload = parsePayload(data.payload);
  if (typeof payload === 'string') throw refuse('shape', payload);
  // Decided before the child imports anything: a module that isn't admitted has none of its code run.
  const admission = await admitModule(data.target.module, root, allowLinksTo);
  if ('refused' in admission) {
    const why = `the job names the module ${JSON.stringify(data.target.module.slice(0, 300))}, which is refused: ${admission.refused}`;
    if (admission.missing) throw new UnrecoverableError(failureReason(new ModuleLoadError(data.target.module, `${data.label}: ${why}.`)));
    throw refuse('module', why);
  }
  const module = admission.url;

  // One signal per AbortSignal of the call, and one more for its timeout (never in the arguments).
  const controllers = Array.from({ length: data.signals + 1 }, () => new AbortController());
  const stop = (index: number, reason: string) => controllers[index >= 0 && index < data.signals ? index : data.signals]!.abort(reason);
  const onCancel = () => stop(Number(cancel?.reason), 'cancelled by the caller');
  cancel?.addEventListener('abort', onCancel, { once: true });
  // The caller's timeout, should its cancel event never arrive (Redis down, caller gone).
  const timer = data.timeout > 0 && data.timeout <= MAX_TIMER_MS ? setTimeout(() => stop(-1, 'timeout'), data.timeout) : undefined;
  try {
    const target = { ...data.target, module };
    const reply = await pools.run({
      label: data.label,
      target,
      self: payload.self,
      args: payload.args,
      signals: controllers.map((c) => c.signal),
      maxRss: data.maxRss,
    });
    if (reply.type === 'error' && reply.phase === 'load') {
      pools.forget(target);
      const refusedTarget = refusedInChild(reply.error);
      if (refusedTarget !== undefined) throw refuse('target', refusedTarget);
    }
    const packed = pack(reply);
    const limit = Math.min(maxPayloadBytes, data.maxPayloadBytes);
    if (packed.length > limit) throw new PayloadTooLargeError(data.label, 'result', packed.length, limit);
    return packed;
  } catch (error) {
    // A crashed child is retried if the job has attempts left (the caller's `retries`); nothing else is.
    if (error instanceof UnrecoverableError) throw error;
    const crashed = error instanceof ChildExitedError && !(error instanceof ChildOutOfMemoryError);
    const reason = failureReason(error);
    throw crashed ? new Error(reason) : new UnrecoverableError(reason);
  } finally {
    clearTimeout(timer);
    cancel?.removeEventListener('abort', onCancel);
  }
}
