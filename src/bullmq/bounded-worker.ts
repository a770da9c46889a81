/**
 * A BullMQ Worker that checks the size of each job it takes before parsing
 * the job's data. BullMQ hands a job over as the text Redis holds; a job
 * whose data is larger than any caller of this SDK writes is never parsed:
 * the processor gets the job with its data left out, and fails it
 * (worker.ts). The raw text itself is held for that moment, as Redis sent it.
 *
 * BullMQ parses a job's options, progress and parent before this point (its
 * own code, inside Worker.moveToActive): those are measured right after, and
 * a job with oversized ones is refused the same way.
 */
import { type Job, type JobJson, type Processor, Worker, type WorkerOptions } from 'bullmq';

/** The most characters of data beyond the packed payload: label, target, counts, field names. */
const DATA_OVERHEAD_CHARS = 64 * 1024;
/** The most characters of every other text field of a job together (name, failures kept from earlier attempts, ids). */
const OTHER_FIELDS_CHARS = 1024 * 1024;
/** The most characters of the fields BullMQ parses itself (options, progress, parent), as JSON. */
const PARSED_FIELDS_CHARS = 64 * 1024;

/** Jobs refused for their size, and why: their data was never parsed. */
const oversized = new WeakMap<Job, string>();

/** Why `job` was refused for its size before its data was parsed, if it was. */
export function sizeRefusal(job: Job): string | undefined {
  return oversized.get(job);
}

/** A Worker whose jobs' data may hold at most `maxPayloadBytes` of payload, and the rest in proportion. */
export function boundedWorker(queue: string, processor: Processor, options: WorkerOptions, maxPayloadBytes: number): Worker {
  const maxDataChars = maxPayloadBytes + DATA_OVERHEAD_CHARS;
  class BoundedWorker extends Worker {
    protected override createJob(json: JobJson, jobId: string): Job {
      const why = tooLarge(json, maxDataChars);
      if (why === undefined) return super.createJob(json, jobId);
      // Only the bookkeeping BullMQ needs to fail it: no data, no earlier failures, no return value.
      const job = super.createJob({ ...json, data: '{}', stacktrace: '[]', returnvalue: '', failedReason: '' }, jobId);
      oversized.set(job, why);
      return job;
    }
  }
  return new BoundedWorker(queue, processor, options);
}

function tooLarge(json: JobJson, maxDataChars: number): string | undefined {
  const data = json.data;
  if (typeof data === 'string' && data.length > maxDataChars)
    return `its data is ${data.length} characters, over the ${maxDataChars} a job of this worker may take (maxPayloadBytes and 64 KiB)`;
  let other = 0;
  for (const [key, value] of Object.entries(json)) if (key !== 'data' && typeof value === 'string') other += value.length;
  if (other > OTHER_FIELDS_CHARS) return `its name, ids and kept failures are ${other} characters, over ${OTHER_FIELDS_CHARS}`;
  for (const key of ['opts', 'progress', 'parent'] as const) {
    const length = jsonLength(json[key]);
    if (length > PARSED_FIELDS_CHARS) return `its ${key} is ${length} characters as JSON, over ${PARSED_FIELDS_CHARS}`;
  }
  return undefined;
}

function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return Number.POSITIVE_INFINITY; // a cycle or a BigInt: nothing BullMQ's own JSON.parse makes
  }
}
