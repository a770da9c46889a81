import { encode } from '../codec/encode.js';
import type { Encoded } from '../codec/tags.js';
import { packEncoded } from './wire-value.js';

/**
 * A thrown value, encoded and packed for a message; it always crosses: if it
 * can't be encoded (or V8's serializer refuses a part of it), its name,
 * message and stack do, as a plain Error. Used for a child's failed call and
 * for a parent's failed callback.
 */
export function encodeThrown(thrown: unknown): Encoded {
  try {
    return packEncoded(encode(thrown, 'error'));
  } catch {
    const fallback = new Error(thrown instanceof Error ? thrown.message : String(thrown));
    if (thrown instanceof Error) {
      fallback.name = thrown.name;
      fallback.stack = thrown.stack;
    }
    return encode(fallback, 'error');
  }
}
