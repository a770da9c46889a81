/** The worker's own failures (a crash, a timeout, a refused job) travel as encoded SDK errors. */
import { decode } from '../codec/decode.js';
import { encode } from '../codec/encode.js';
import type { Encoded } from '../codec/tags.js';
import { CallAbortedError } from '../errors/call-aborted-error.js';
import { CallTimeoutError } from '../errors/call-timeout-error.js';
import { ChildExitedError, ChildOutOfMemoryError } from '../errors/child-exited-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { IsolatedCallError } from '../errors/isolated-call-error.js';
import { ModuleLoadError } from '../errors/module-load-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { QueueFullError } from '../errors/queue-full-error.js';
import { SerializationError } from '../errors/serialization-error.js';
import { ShutdownError } from '../errors/shutdown-error.js';
import { TempFolderError } from '../errors/temp-folder-error.js';
import { NOT_ISOLATED_CODE } from '../shared/not-isolated.js';
import { JobRefusedError } from './errors/job-refused-error.js';
import { PayloadTooLargeError } from './errors/payload-too-large-error.js';
import { FAILURE_PREFIX, pack, unpack } from './wire.js';

const sdkErrors: Record<string, Function> = {
  CallAbortedError,
  CallTimeoutError,
  ChildExitedError,
  ChildOutOfMemoryError,
  InvalidOptionError,
  JobRefusedError,
  ModuleLoadError,
  PayloadTooLargeError,
  ProtocolError,
  QueueFullError,
  SerializationError,
  ShutdownError,
  TempFolderError,
};

const BRAND = Symbol.for('isolated-call.error');

/**
 * A rebuilt SDK error gets the class-chain brand its constructor would have
 * set (the decoder doesn't run constructors), so `instanceof` works against
 * the classes of the main entry, another copy of the SDK's code.
 */
function brand(error: unknown): unknown {
  if (!(error instanceof Error) || !(error instanceof IsolatedCallError) || Object.hasOwn(error, BRAND)) return error;
  const chain: string[] = [];
  for (let c = error.constructor; c && c !== Error; c = Object.getPrototypeOf(c) as Function) chain.push(c.name);
  Object.defineProperty(error, BRAND, { value: chain });
  return error;
}

/** A BullMQ failure reason holding `error`, encoded. */
export function failureReason(error: unknown): string {
  let encoded: Encoded;
  try {
    encoded = encode(error, 'error');
  } catch {
    encoded = encode(new Error(String((error as Error | null)?.message ?? error)), 'error');
  }
  return FAILURE_PREFIX + pack(encoded);
}

/** The error a failure reason holds, rebuilt as the SDK's own class; undefined for a reason that isn't ours. */
export function errorOfFailure(reason: string, workerSide: string): unknown {
  if (!reason.startsWith(FAILURE_PREFIX)) return undefined;
  const malformed = (path: string, why: string) =>
    new ProtocolError(`${workerSide} sent a failure its codec never produces, at ${path}: ${why}.`);
  try {
    const encoded = unpack(reason.slice(FAILURE_PREFIX.length)) as Encoded;
    if (typeof encoded !== 'object' || encoded === null || typeof encoded.t !== 'boolean' || encoded.f !== undefined)
      return malformed('error', 'it is not an encoded value');
    return brand(decode(encoded, 'error', { side: 'the caller', malformed, findErrorClass: (name) => sdkErrors[name] }));
  } catch (error) {
    return error instanceof ProtocolError ? error : malformed('error', (error as Error).message);
  }
}

/**
 * The message of a child's load failure that refused a target as not
 * isolated (child/isolated-target.ts), or undefined for any other failure.
 */
export function refusedInChild(encoded: Encoded): string | undefined {
  try {
    const error = decode(encoded, 'error', { side: 'the worker' }) as { code?: unknown; message?: unknown } | null;
    return error?.code === NOT_ISOLATED_CODE ? String(error.message) : undefined;
  } catch {
    return undefined;
  }
}
