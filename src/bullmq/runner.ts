import { randomUUID } from 'node:crypto';
import type { Encoded } from '../codec/tags.js';
import type { ResolvedOptions } from '../options/table.js';
import type { CallJob } from '../parent/calls/call-job.js';
import { withCallerFrames } from '../parent/calls/caller-frames.js';
import { type CallOutcome, PendingCall } from '../parent/calls/pending-call.js';
import type { CallRunner } from '../options/runner.js';
import { connectionOptions, DEFAULT_MAX_PAYLOAD_BYTES, type RedisConnection } from './connection.js';
import { PayloadTooLargeError } from './errors/payload-too-large-error.js';
import { JobLostError } from './errors/job-lost-error.js';
import { RemoteJobError } from './errors/remote-job-error.js';
import { type Link, LinkHolder } from './link.js';
import { LostJobWatch } from './lost-jobs.js';
import { moduleName } from './module-name.js';
import { errorOfFailure } from './remote-errors.js';
import { fromReply } from './remote-reply.js';
import { CANCEL_EVENT, JOB_VERSION, type JobData, pack } from './wire.js';
import { MAX_TIMER_MS } from '../shared/timers.js';

/** Options of {@link bullmqRunner}. */
export interface BullmqRunnerOptions {
  /** The Redis server: a `redis://` URL or BullMQ's connection options (`{ host, port }`). Required. */
  connection: RedisConnection;
  /** The BullMQ queue's name; the workers must take the same. Required. */
  queue: string;
  /**
   * The app's root folder on this machine: a job names its module relative to
   * it, and each worker finds the module under its own `--root`. Default: the
   * folder of the nearest package.json above the method's module.
   */
  root?: string;
  /**
   * The most bytes the packed arguments (with `this`), or the result, of one
   * call may take in Redis; beyond, the call fails with
   * `PayloadTooLargeError`. Default: `4194304` (4 MiB).
   */
  maxPayloadBytes?: number;
  /** BullMQ's key prefix. Default: BullMQ's own (`bull`). */
  prefix?: string;
}

/** A {@link CallRunner} that sends calls to a BullMQ queue; `close()` ends its Redis connections now. */
export interface BullmqRunner extends CallRunner {
  /** Closes the Redis connections (they also close by themselves a second after the last call settles). */
  close(): Promise<void>;
}

/**
 * A runner that sends a method's calls to a BullMQ queue, where
 * `isolated-call-worker` processes (or `startWorker()`) run each in a fresh
 * child on their machine. Use it per method, `@Isolated({ runner })`, or
 * for all, `configure({ runner })`. Values, class instances and typed errors
 * come back as from a local call. See docs/scaling-out.md.
 */
export function bullmqRunner(options: BullmqRunnerOptions): BullmqRunner {
  const connection = connectionOptions(options.connection);
  const queue = options.queue;
  if (typeof queue !== 'string' || queue === '') throw new TypeError('bullmqRunner(): queue must be a non-empty string');
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const holder = new LinkHolder(queue, connection, options.prefix);
  const lost = new LostJobWatch(holder);
  const name = `bullmq queue "${queue}"`;
  return {
    name,
    inline: true,
    close: () => holder.close(),
    run: (job, resolved) => runRemote(job, resolved, { holder, lost, queue, root: options.root, maxPayloadBytes }),
  };
}

interface Target {
  readonly holder: LinkHolder;
  readonly lost: LostJobWatch;
  readonly queue: string;
  readonly root: string | undefined;
  readonly maxPayloadBytes: number;
}

function runRemote(job: CallJob, options: ResolvedOptions, to: Target): Promise<unknown> {
  // This entry's own copy marks the errors it rebuilds: they get the caller's frames here (the main entry's copy can't tell them).
  return withCallerFrames(runRemotely(job, options, to));
}

function runRemotely(job: CallJob, options: ResolvedOptions, to: Target): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const call = new PendingCall(job, resolve, reject);
    let data: JobData;
    try {
      data = jobData(job, options, to);
    } catch (error) {
      call.settle({ error }, options.onCallEnd);
      return;
    }
    const jobId = randomUUID();
    let added = false;
    let cancelled = false;
    const cleanups: (() => void)[] = [];
    const settle = (outcome: CallOutcome) => {
      if (!call.settle(outcome, options.onCallEnd)) return;
      for (const cleanup of cleanups) cleanup();
      to.holder.release();
    };
    const cancel = () => {
      cancelled = true;
      if (added)
        void cancelJob(
          to.holder,
          jobId,
          job.signals.findIndex((s) => s.aborted),
        );
    };
    // Timeout and abort settle the call at once, queued or running; the job is removed or its worker told to stop.
    call.watch(options.timeout, (_call, error) => {
      cancel();
      settle({ error });
    });
    const onCompleted = ({ returnvalue }: { returnvalue: unknown }) => {
      void fromReply(returnvalue, job).then(
        (value) => settle({ value }),
        (error: unknown) => settle({ error }),
      );
    };
    const onFailed = ({ failedReason }: { failedReason: string }) =>
      settle({
        error: errorOfFailure(failedReason, `The worker of ${job.label}`) ?? new RemoteJobError(job.label, to.queue, jobId, failedReason),
      });
    to.holder
      .acquire()
      .then(async (link) => {
        if (call.settled) return;
        listen(link, jobId, onCompleted, onFailed, cleanups);
        const attempts = options.retries + 1;
        await link.queue.add(job.label, data, { jobId, attempts, removeOnComplete: { age: 600 }, removeOnFail: { age: 3600 } });
        added = true;
        if (cancelled)
          return cancelJob(
            to.holder,
            jobId,
            job.signals.findIndex((s) => s.aborted),
          );
        // Redis may lose the job (a restart without its data): then no event ever comes.
        if (!call.settled) cleanups.push(to.lost.watch(jobId, () => settle({ error: new JobLostError(job.label, to.queue, jobId) })));
        // The job may have finished before the events stream was read: BullMQ's waitUntilFinished checks the same way.
        const state = await link.queue.getJobState(jobId);
        if (state !== 'completed' && state !== 'failed') return;
        const finished = await link.queue.getJob(jobId);
        if (state === 'completed') onCompleted({ returnvalue: finished?.returnvalue });
        else onFailed({ failedReason: finished?.failedReason ?? 'unknown' });
      })
      .catch((error: unknown) => settle({ error }));
  });
}

function listen(
  link: Link,
  jobId: string,
  onCompleted: (args: { returnvalue: unknown }) => void,
  onFailed: (args: { failedReason: string }) => void,
  cleanups: (() => void)[],
): void {
  // QueueEvents also emits each event under `<event>:<jobId>` (what BullMQ's waitUntilFinished listens to).
  const events = link.events as unknown as NodeJS.EventEmitter;
  events.on(`completed:${jobId}`, onCompleted);
  events.on(`failed:${jobId}`, onFailed);
  cleanups.push(() => {
    events.off(`completed:${jobId}`, onCompleted);
    events.off(`failed:${jobId}`, onFailed);
  });
}

function jobData(job: CallJob, options: ResolvedOptions, to: Target): JobData {
  const payload = pack({ self: job.self, args: job.args } satisfies { self: Encoded | undefined; args: Encoded });
  if (payload.length > to.maxPayloadBytes) throw new PayloadTooLargeError(job.label, 'args', payload.length, to.maxPayloadBytes);
  return {
    isolatedCall: JOB_VERSION,
    label: job.label,
    target: { ...job.target, module: moduleName(job.target.module, to.root, job.label) },
    payload,
    signals: job.signals.length,
    // A timeout no timer holds (Infinity, or past 2^31 - 1 ms) is left to the caller: its cancel event stops the job.
    timeout: Number.isFinite(options.timeout) && options.timeout <= MAX_TIMER_MS ? Math.ceil(options.timeout) : 0,
    maxPayloadBytes: to.maxPayloadBytes,
    // The worker's own maxRss stands; the caller's can only lower it.
    ...(options.maxRss === Infinity ? {} : { maxRss: options.maxRss }),
  };
}

/** A queued job is removed; a running one's worker is told, through a BullMQ custom event, to stop its child. */
async function cancelJob(holder: LinkHolder, jobId: string, signal: number): Promise<void> {
  const link = await holder.current()?.catch(() => undefined);
  if (!link) return;
  try {
    if ((await link.queue.remove(jobId)) === 1) return;
    // 10000: BullMQ's own default length of the events stream, which publishEvent() trims to (its default, 1000, would cut it).
    await link.producer.publishEvent({ eventName: CANCEL_EVENT, jobId, signal: String(signal) }, 10_000);
  } catch {
    // Redis gone: the worker's own copy of the timeout still stops the child.
  }
}
