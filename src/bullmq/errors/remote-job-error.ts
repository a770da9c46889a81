import { IsolatedCallError, type IsolatedCallErrorInit } from '../../errors/isolated-call-error.js';

/**
 * BullMQ failed a remote call's job for a reason no isolated-call worker
 * gave: it stalled more often than `maxStalledCount` allows (its workers
 * kept dying), a worker refused it as malformed, or a processor of another
 * program took it from the queue. Code `ERR_ISOLATED_REMOTE_JOB`.
 */
export class RemoteJobError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_REMOTE_JOB';
  /** The BullMQ job id. */
  readonly jobId: string;
  /** BullMQ's `failedReason`. */
  readonly failedReason: string;

  constructor(target: string, queue: string, jobId: string, failedReason: string, init?: IsolatedCallErrorInit) {
    super(
      'ERR_ISOLATED_REMOTE_JOB',
      `${target}: job ${jobId} of BullMQ queue "${queue}" failed: ${failedReason.slice(0, 2000)}. ` +
        'Check that every worker of the queue runs isolated-call-worker (or startWorker()) of this version.',
      init,
    );
    this.jobId = jobId;
    this.failedReason = failedReason;
  }
}
