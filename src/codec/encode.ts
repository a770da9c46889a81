import { SerializationError } from '../errors/serialization-error.js';
import { ErrorBudget } from './error-bounds.js';
import { Encoder } from './encoder.js';
import { withJsonExactness } from './json-exactness.js';
import { Plain, scanPlain } from './scan.js';
import { discardBlobs } from './blobs.js';
import type { Encoded } from './tags.js';
import type { CollectedCallbacks } from './callback-tag.js';

/**
 * Turns a value into something structured clone carries exactly.
 *
 * Most payloads are plain data that structured clone already handles, so a
 * read-only scan runs first; if it finds nothing to tag, the value is sent as
 * it is, the wire knows from the same scan whether JSON carries it, and the
 * other side skips decoding. Only otherwise does a copying pass
 * build tags, keeping shared references and cycles as shared references.
 * Either way every failure is raised here, before anything is sent.
 *
 * @param root How the value is named in error paths: `args`, `this`, `result`.
 * @throws SerializationError naming the path of the first value that can't cross.
 */
export function encode(value: unknown, root: string, options: EncodeOptions = {}): Encoded {
  const plain = scanPlain(value, options.blobDir !== undefined);
  if (plain !== Plain.No) return withJsonExactness(value, false, plain === Plain.Json);
  const budget = options.thrown ? new ErrorBudget() : undefined;
  const encoder = new Encoder(root, options.signals, options.blobDir, options.leftBehind, options.callbacks, budget);
  let v: unknown;
  try {
    v = encoder.encode(value);
  } catch (error) {
    // Large parts already written beside the message belong to no message now.
    discardBlobs(encoder.files);
    throw asSerializationError(error, encoder);
  }
  const f = encoder.files.length > 0 ? encoder.files : undefined;
  const exact = encoder.jsonExact();
  if (exact !== undefined) return withJsonExactness(v, true, exact, f);
  return f ? { v, t: true, f } : { v, t: true };
}

export interface EncodeOptions {
  /** Collects AbortSignals found (parent-side arguments only); without it a signal is unsendable. */
  readonly signals?: AbortSignal[];
  /** Where to write large binary data and strings instead of sending them inline (blobs.ts). */
  readonly blobDir?: string;
  /**
   * For `this` only: when given, an own field of the root instance that
   * can't cross doesn't fail the encode but is left behind (the child throws
   * if the method reads it), and its path is pushed here. Anywhere else, and
   * without it, such a value fails fast as usual.
   */
  readonly leftBehind?: string[];
  /**
   * Collects the functions found (parent-side arguments only): each crosses as
   * a callback the child can call. Without it a function is unsendable.
   */
  readonly callbacks?: CollectedCallbacks;
  /** The value was thrown: its errors are cut to the bounds of error-bounds.ts (a note where cut). */
  readonly thrown?: boolean;
}

/**
 * The walk refuses values nested deeper than MAX_NESTING, but a caller that
 * is itself deep in its stack can still run out first: that, too, is a
 * failure of this value, at the path the walk had reached.
 */
function asSerializationError(error: unknown, encoder: Encoder): unknown {
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new SerializationError(
      String(encoder.path),
      `it is nested too deeply to walk (${encoder.path.depth} levels when the stack ran out); flatten it, or send it as a string (JSON)`,
      { cause: error },
    );
  }
  return error;
}
