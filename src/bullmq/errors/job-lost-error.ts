import { IsolatedCallError, type IsolatedCallErrorInit } from '../../errors/isolated-call-error.js';

/**
 * A remote call's job is gone from Redis before it finished: Redis restarted
 * without its data (no persistence, a failover to an empty replica), or
 * someone deleted the job or the queue. Whether a worker ran it, and how
 * far, is unknown. Code `ERR_ISOLATED_JOB_LOST`.
 */
export class JobLostError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_JOB_LOST';
  /** The BullMQ job id. */
  readonly jobId: string;

  constructor(target: string, queue: string, jobId: string, init?: IsolatedCallErrorInit) {
    super(
      'ERR_ISOLATED_JOB_LOST',
      `${target}: job ${jobId} of BullMQ queue "${queue}" is no longer in Redis, and it never reported a result. ` +
        'Redis lost it (a restart without persistence, a failover) or it was deleted; a worker may or may not have run it.',
      init,
    );
    this.jobId = jobId;
  }
}
