import { describeThrown } from '../codec/describe-unsendable.js';
import { encode } from '../codec/encode.js';
import type { Encoded } from '../codec/tags.js';
import { SerializationError } from '../errors/serialization-error.js';
import { packEncoded } from './wire-value.js';

/**
 * A thrown value, encoded as thrown (cut to the bounds of
 * codec/error-bounds.ts) and packed for a message; it always crosses, and
 * this never throws. A getter of the error's own name, message or stack that
 * throws makes it a SerializationError saying so, as any throwing getter
 * does; if even that can't be encoded (or V8's serializer refuses a part),
 * a plain Error with whatever of its name, message and stack can be read
 * crosses instead. Used for a child's failed call and a parent's failed callback.
 */
export function encodeThrown(thrown: unknown): Encoded {
  try {
    return packEncoded(encode(thrown, 'error', { thrown: true }));
  } catch (error) {
    if (error instanceof SerializationError && error !== thrown) {
      try {
        return packEncoded(encode(error, 'error', { thrown: true }));
      } catch {
        // the stand-in below
      }
    }
    return encode(standIn(thrown), 'error', { thrown: true });
  }
}

/** A plain Error with the name, message and stack of `thrown` that can be read, each in a note where it can't. */
function standIn(thrown: unknown): Error {
  const fallback = new Error(field(thrown, 'message') ?? describeThrown(thrown));
  const name = field(thrown, 'name');
  if (name !== undefined) fallback.name = name;
  const stack = field(thrown, 'stack');
  fallback.stack = stack ?? `${fallback.name}: ${fallback.message}`;
  return fallback;
}

/** `thrown[key]` as a string; a note when reading or converting it throws; undefined when `thrown` is no Error. */
function field(thrown: unknown, key: 'name' | 'message' | 'stack'): string | undefined {
  try {
    if (!(thrown instanceof Error)) return undefined;
    const value: unknown = thrown[key];
    return typeof value === 'string' ? value : String(value);
  } catch (error) {
    return `[cannot cross: reading its ${key} threw ${describeThrown(error)}]`;
  }
}
