/**
 * The child's replies to a call: the result, or the error with the phase it
 * failed in, turned into the message the parent maps to a typed error.
 */
import { discardBlobs } from '../codec/side-channel.js';
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
 * a payload file (protocol/wire-value.ts).
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

/** The error reply for a call that failed in `phase`; never throws. */
export function errorReply(id: number, phase: FailurePhase, thrown: unknown, kind: string, stats: ChildCallStats): ErrorMessage {
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
  if (phase === 'run' && !(thrown instanceof Error)) {
    // A thrown non-Error is rethrown as that very value, so no stand-in will
    // do: say what can't cross, as for a result.
    try {
      return errorMessage({ ...base, phase, error: packEncoded(encode(thrown, 'thrown')) });
    } catch (error) {
      const reason = error instanceof SerializationError ? error.reason : `Node could not serialize it (${String(error)})`;
      const path = error instanceof SerializationError ? error.path : 'thrown';
      return errorMessage({ ...base, phase: 'encode', path, reason, error: encodeThrown(error) });
    }
  }
  return errorMessage({ ...base, phase, error: encodeThrown(thrown) });
}

function isPrivateFieldError(thrown: unknown): boolean {
  return (
    thrown instanceof TypeError && /private member|private field|private method|Receiver must be an instance of class/i.test(thrown.message)
  );
}
