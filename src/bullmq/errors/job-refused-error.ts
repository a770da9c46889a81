import { IsolatedCallError, type IsolatedCallErrorInit } from '../../errors/isolated-call-error.js';

/** Why a worker refused a job: which of its checks the job failed. */
export type JobRefusal =
  /** The job's text (its data, name or other fields) is larger than the worker takes. */
  | 'size'
  /** Its data is not an isolated-call job: a field missing, malformed, out of range, or one the SDK never writes. */
  | 'shape'
  /** The module it names is not one the worker runs: outside the root, under node_modules, not a JavaScript or TypeScript file, or without any isolated method. */
  | 'module'
  /** The module passed, but what the job names in it is not a method decorated with @Isolated() nor a function made with isolate(). */
  | 'target';

/**
 * A worker refused to run a job: anyone who can write to the queue wrote it,
 * and it asked for something a caller of this SDK never asks for (see
 * docs/scaling-out.md, "What a worker trusts"). Nothing of the job ran.
 * Code `ERR_ISOLATED_JOB_REFUSED`.
 */
export class JobRefusedError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_JOB_REFUSED';
  /** The BullMQ job id. */
  readonly jobId: string;
  /** Which check the job failed. */
  readonly refusal: JobRefusal;

  constructor(jobId: string, refusal: JobRefusal, why: string, init?: IsolatedCallErrorInit) {
    super('ERR_ISOLATED_JOB_REFUSED', `isolated-call worker refused job ${jobId}: ${why}`, init);
    this.jobId = jobId;
    this.refusal = refusal;
  }
}
