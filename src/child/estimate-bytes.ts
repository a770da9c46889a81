import { statSync } from '../shared/node-fs.js';
import type { Encoded } from '../codec/tags.js';

/**
 * About how many bytes a yielded value holds, for the stream's byte credit
 * (stream-messages.ts). It only has to be the right order of magnitude, and
 * cheap: a string counts 2 bytes per character (as for blob files),
 * binary data its length, any other leaf 8 bytes, a key its characters, and
 * a large part written beside the message its file's size. A shared object
 * is counted once.
 */
export function estimateBytes(encoded: Encoded): number {
  let total = 0;
  for (const file of encoded.f ?? []) {
    try {
      total += statSync(file).size;
    } catch {
      // written a moment ago by this very child; if it is gone, the parent will say so
    }
  }
  return total + walk(encoded.v, new Set());
}

function walk(value: unknown, seen: Set<object>): number {
  if (typeof value === 'string') return 2 * value.length;
  if (typeof value !== 'object' || value === null) return 8;
  if (seen.has(value)) return 8;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  let total = 8;
  if (Array.isArray(value)) {
    for (const item of value) total += walk(item, seen);
    return total;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) total += walk(k, seen) + walk(v, seen);
    return total;
  }
  if (value instanceof Set) {
    for (const item of value) total += walk(item, seen);
    return total;
  }
  for (const key of Object.keys(value)) total += 2 * key.length + walk((value as Record<string, unknown>)[key], seen);
  return total;
}
