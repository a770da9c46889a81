// isolated-call/bullmq: isolated methods on a BullMQ worker fleet (docs/scaling-out.md).
// The main entry never imports this file: bullmq is an optional peer dependency.
export { bullmqRunner, type BullmqRunner, type BullmqRunnerOptions } from './runner.js';
export { startWorker, type StartWorkerOptions, type IsolatedCallWorker } from './worker.js';
export type { RedisConnection } from './connection.js';
export { PayloadTooLargeError } from './errors/payload-too-large-error.js';
export { RemoteJobError } from './errors/remote-job-error.js';
export { JobRefusedError, type JobRefusal } from './errors/job-refused-error.js';
export { JobLostError } from './errors/job-lost-error.js';
