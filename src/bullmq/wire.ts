/**
 * What travels through Redis for one remote call: the job's data (caller ->
 * worker), its return value and its failure reason (worker -> caller).
 * BullMQ stores job data as JSON, which loses what structured clone keeps
 * (Map, Date, typed arrays, undefined), so the codec's output is packed with
 * v8.serialize, the format Node's own IPC channel uses, and base64'd.
 */
import { deserialize, serialize } from 'node:v8';
import type { Encoded } from '../codec/tags.js';
import type { TargetRef } from '../protocol/messages.js';
import { MAX_TIMER_MS } from '../shared/timers.js';

/** Marks a job as ours and its shape's version. */
export const JOB_VERSION = 1;
/** Starts a failure reason that holds an encoded SDK error. */
export const FAILURE_PREFIX = 'isolated-call/1:';
/** The custom QueueEvents event a caller publishes to stop a running job. */
export const CANCEL_EVENT = 'isolated-call:cancel';
/** Most AbortSignals one call may carry across. */
const MAX_SIGNALS = 1000;
/** Longest class or method name a job may name. */
const MAX_NAME = 1024;

/** The data of one job. */
export interface JobData {
  readonly isolatedCall: typeof JOB_VERSION;
  /** `Class.method`, for messages. */
  readonly label: string;
  /** `module` is relative to the app's root, with `/` separators (module-name.ts). */
  readonly target: TargetRef;
  /** `{ self, args }`, encoded by the codec, then packed. */
  readonly payload: string;
  /** How many AbortSignals the arguments hold. */
  readonly signals: number;
  /** The call's `timeout` in ms (0: none); the worker stops the child after it, should no cancel arrive. */
  readonly timeout: number;
  /** The caller's limit for the packed result. */
  readonly maxPayloadBytes: number;
  /** The caller's `maxRss` in MB, absent when it has none: it may lower the worker's budget for this job, never raise it. */
  readonly maxRss?: number;
}

/** What the caller's payload unpacks to. */
export interface CallPayload {
  readonly self: Encoded | undefined;
  readonly args: Encoded;
}

/** The cancel event's fields (QueueEvents carries strings). */
export interface CancelEvent {
  readonly eventName: typeof CANCEL_EVENT;
  readonly jobId: string;
  /** Index of the AbortSignal that fired, or `-1` for the call's timeout. */
  readonly signal: string;
}

export function pack(value: unknown): string {
  return serialize(value).toString('base64');
}

/** Size in bytes of a packed value, as Redis holds it. */
export function packedBytes(packed: string): number {
  return packed.length;
}

export function unpack(packed: string): unknown {
  return deserialize(Buffer.from(packed, 'base64'));
}

/** Every field of a job's data, and of its target: any other is refused. */
const JOB_FIELDS = new Set(['isolatedCall', 'label', 'target', 'payload', 'signals', 'timeout', 'maxPayloadBytes', 'maxRss']);
const TARGET_FIELDS = new Set(['module', 'owner', 'kind', 'method']);
/** Longest module name a job may give (module-name.ts refuses longer). */
const MAX_MODULE_NAME = 4096;

/**
 * Reads a job's data on the worker, where it is untrusted input: anyone who
 * can write to the queue wrote it. Every field is checked, and bounded; a
 * field this SDK never writes is refused. Returns the data, or why it is refused.
 */
export function parseJobData(data: unknown): JobData | string {
  if (!isRecord(data)) return 'its data is not an object';
  const d = data;
  if (d.isolatedCall !== JOB_VERSION) return `it is not an isolated-call job of version ${JOB_VERSION}`;
  const unknown = Object.keys(d).find((key) => !JOB_FIELDS.has(key));
  if (unknown !== undefined) return `its data has a field isolated-call never writes (${JSON.stringify(unknown.slice(0, 100))})`;
  const t = d.target;
  if (!isRecord(t)) return 'it names no target';
  const unknownInTarget = Object.keys(t).find((key) => !TARGET_FIELDS.has(key));
  if (unknownInTarget !== undefined)
    return `its target has a field isolated-call never writes (${JSON.stringify(unknownInTarget.slice(0, 100))})`;
  if (typeof t.module !== 'string' || t.module.length > MAX_MODULE_NAME || !isName(t.owner)) return 'its target is malformed';
  if (!['instance', 'static', 'function'].includes(t.kind as string)) return 'its target is malformed';
  if (t.kind === 'function' ? t.method !== undefined : !isName(t.method)) return 'its target names no method, or one a function has not';
  if (typeof d.label !== 'string' || d.label.length > 2 * MAX_NAME + 1) return 'its label is malformed';
  if (typeof d.payload !== 'string') return 'it has no payload';
  if (!Number.isInteger(d.signals) || (d.signals as number) < 0 || (d.signals as number) > MAX_SIGNALS)
    return 'its signal count is out of range';
  if (!isCount(d.timeout) || !isCount(d.maxPayloadBytes)) return 'its timeout or size limit is malformed';
  // A timer can't hold more: it would fire at once (the caller's options refuse it too; 0 is no limit).
  if (d.timeout > MAX_TIMER_MS) return `its timeout of ${d.timeout} ms is over ${MAX_TIMER_MS} ms, the longest a timer holds`;
  if (d.maxRss !== undefined && !(isCount(d.maxRss) && d.maxRss >= 32)) return 'its maxRss is not a whole number of MB of at least 32';
  const target: TargetRef = {
    module: t.module,
    owner: t.owner as string,
    kind: t.kind as TargetRef['kind'],
    ...(t.kind === 'function' ? {} : { method: t.method as string }),
  };
  return {
    isolatedCall: JOB_VERSION,
    label: d.label,
    target,
    payload: d.payload,
    signals: d.signals as number,
    timeout: d.timeout,
    maxPayloadBytes: d.maxPayloadBytes,
    ...(d.maxRss === undefined ? {} : { maxRss: d.maxRss }),
  };
}

/** The payload unpacked, or why it can't be: only `{ self?, args }` of encoded values, and no files beside it. */
export function parsePayload(packed: string): CallPayload | string {
  let value: unknown;
  try {
    value = unpack(packed);
  } catch (error) {
    return `its payload can't be read (${(error as Error).message})`;
  }
  if (!isRecord(value) || Object.keys(value).some((key) => key !== 'self' && key !== 'args')) return 'its payload is not an encoded call';
  const { self, args } = value;
  if (!isEncoded(args) || (self !== undefined && !isEncoded(self))) return 'its payload is not an encoded call';
  return { self, args };
}

/** A plain object, as JSON.parse and v8.deserialize make them. */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** An encoded value as a caller's codec writes it for a job: `{ v, t }`, nothing packed, no files. */
function isEncoded(value: unknown): value is Encoded {
  return isRecord(value) && typeof value.t === 'boolean' && Object.keys(value).every((key) => key === 'v' || key === 't');
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
