/**
 * The child's replies to a call: the result, or the error with the phase it
 * failed in, turned into the message the parent maps to a typed error.
 */
import { describeThrown } from '../codec/describe-unsendable.js';
import { discardBlobs } from '../codec/blobs.js';
import { encode } from '../codec/encode.js';
import type { Encoded } from '../codec/tags.js';
import { IsolatedCallError } from '../errors/isolated-call-error.js';
import { SerializationError } from '../errors/serialization-error.js';
import { TempFolderError } from '../errors/temp-folder-error.js';
import { errorMessage, resultMessage } from '../protocol/build-messages.js';
import type { ChildCallStats, ChildMessage, ErrorMessage, FailurePhase } from '../protocol/messages.js';
import { encodeThrown } from '../protocol/encode-thrown.js';
import { packEncoded } from '../protocol/wire-value.js';

/**
 * The result message; a value V8's serializer refuses (a host object) fails
 * as the result's. With the parent's `blobDir`, a large packed value goes in
 * a blob file (protocol/wire-value.ts).
 */
export function packedResult(id: number, encoded: Encoded, stats: ChildCallStats, blobDir?: string): ChildMessage {
  try {
    return resultMessage(id, packEncoded(encoded, blobDir), stats);
  } catch (error) {
    discardBlobs(encoded.f);
    if (error instanceof IsolatedCallError) throw error; // the folder was tampered with
    throw new SerializationError('result', `Node could not serialize it (${(error as Error).message})`, { cause: error });
  }
}

/** The error reply for a call that failed in `phase`; never throws, whatever was thrown. */
export function errorReply(id: number, phase: FailurePhase, thrown: unknown, kind: string, stats: ChildCallStats): ErrorMessage {
  try {
    return replyFor(id, phase, thrown, kind, stats);
  } catch (error) {
    // Only a value built to defeat every check gets here (a Proxy whose traps throw, say): say so, typed.
    return errorMessage({
      id,
      stats,
      phase: 'encode',
      path: 'thrown',
      reason: `reading what the method threw threw ${describeThrown(error)}`,
      error: { v: describeThrown(error), t: false },
    });
  }
}

function replyFor(id: number, phase: FailurePhase, thrown: unknown, kind: string, stats: ChildCallStats): ErrorMessage {
  const base = { id, stats } as const;
  if (thrown instanceof SerializationError) {
    return errorMessage({
      ...base,
      phase: phase === 'run' ? 'encode' : phase,
      path: thrown.path,
      reason: thrown.reason,
      error: encodeThrown(thrown),
    });
  }
  if (thrown instanceof TempFolderError && phase === 'encode') {
    return errorMessage({
      ...base,
      phase,
      path: 'result',
      reason: `its large parts could not be written beside the message: ${thrown.message}`,
      error: encodeThrown(thrown),
    });
  }
  if (phase === 'run' && kind === 'instance' && isPrivateFieldError(thrown)) {
    return errorMessage({
      ...base,
      phase: 'decode',
      path: 'this',
      error: encodeThrown(thrown),
      reason:
        "the method uses #private or accessor fields, which can't be read or restored from outside the class, " +
        "so they don't reach the child. " +
        'Keep the state the method needs in public fields, or pass it as an argument.',
    });
  }
  if (phase === 'run') return thrownReply(base, thrown);
  return errorMessage({ ...base, phase, error: encodeThrown(thrown) });
}

/**
 * What the method threw, rethrown in the parent as that very value (cut to
 * the bounds of codec/error-bounds.ts). What can't cross (a non-Error the
 * codec refuses, a getter of the error's name, message or stack that throws)
 * is said as for a result: a SerializationError with the path.
 */
function thrownReply(base: { readonly id: number; readonly stats: ChildCallStats }, thrown: unknown): ErrorMessage {
  const isError = thrown instanceof Error;
  try {
    return errorMessage({ ...base, phase: 'run', error: packEncoded(encode(thrown, isError ? 'error' : 'thrown', { thrown: true })) });
  } catch (error) {
    if (error instanceof SerializationError)
      return errorMessage({ ...base, phase: 'encode', path: error.path, reason: error.reason, error: encodeThrown(error) });
    // V8's serializer refused a part of an Error: a stand-in with its name, message and stack crosses.
    if (isError) return errorMessage({ ...base, phase: 'run', error: encodeThrown(thrown) });
    return errorMessage({
      ...base,
      phase: 'encode',
      path: 'thrown',
      reason: `Node could not serialize it (${describeThrown(error)})`,
      error: encodeThrown(error),
    });
  }
}

function isPrivateFieldError(thrown: unknown): boolean {
  if (!(thrown instanceof TypeError)) return false;
  try {
    const { message } = thrown;
    return (
      typeof message === 'string' && /private member|private field|private method|Receiver must be an instance of class/i.test(message)
    );
  } catch {
    return false; // its message getter threw: encoding it will say so
  }
}
