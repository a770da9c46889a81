import { encode } from './encode.js';
import { formatPath } from './value-path.js';
import { instanceTag, leftBehindTag, type Encoded, type EncodedProps } from './tags.js';

/** `this` as sent, and the fields left in the parent (for the debug log). */
export interface EncodedThis {
  readonly encoded: Encoded;
  readonly leftBehind: readonly string[];
}

/**
 * Encodes `this` for an isolated call. Its own fields travel as usual; a
 * field that can't cross (an injected service, a logger, a function) stays
 * in the parent and reads in the child as an error naming it, so a method
 * that doesn't use it runs. Arguments get no such leniency: the caller
 * chose to pass them, so one that can't cross fails before any child starts.
 *
 * With `sendThis: false` nothing of the values is encoded, only the field
 * names, each left behind: reading one in the child then says why, instead of
 * giving `undefined`.
 *
 * @param classId The id the instance's class is registered under on both sides (the call's owner; the child registers it too).
 * @throws SerializationError only for `this` itself (a Proxy, say), never for a field.
 */
export function encodeThis(self: object, sendThis: boolean, classId: string, blobDir: string | undefined): EncodedThis {
  const leftBehind: string[] = [];
  if (sendThis) return { encoded: encode(self, 'this', { blobDir, leftBehind }), leftBehind };
  const p: EncodedProps = {};
  const reason = "@Isolated({ sendThis: false }) sends none of this's fields; drop that option to send the ones that can cross";
  for (const key of Object.keys(self)) {
    const path = formatPath('this', [key]);
    Object.defineProperty(p, key, { value: leftBehindTag(path, reason), enumerable: true, writable: true, configurable: true });
    leftBehind.push(path);
  }
  return { encoded: { v: instanceTag(classId, p), t: true }, leftBehind };
}
