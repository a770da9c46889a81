/**
 * How an encoded value rides in a message over Node's 'json' IPC channel,
 * which is cheaper per round trip than 'advanced' (structured clone).
 * A value JSON would not carry exactly (undefined, NaN, -0, BigInt, Date,
 * Map, typed arrays, shared references...) is packed instead: V8-serialized,
 * as 'advanced' would, and sent as base64 text in `v` with `p: true`.
 *
 * A large packed value goes beside the message when the sender has the
 * parent's blob folder: its V8 bytes in a blob file (blobs.ts),
 * named in `v` and listed in `f`, with `p: 'file'`. Base64 inside a JSON line
 * costs a third more bytes and two text passes each way. The receiver reads
 * the file when it decodes (codec/decode.ts).
 */
import { Buffer } from 'node:buffer';
import type { Encoded } from '../codec/tags.js';
import { builtin } from '../shared/builtin.js';
import { MAX_NESTING } from '../codec/value-path.js';
import { isObjectPrototype } from '../shared/plain-object.js';
import { writeBlob } from '../codec/blobs.js';
import { IsolatedCallError } from '../errors/isolated-call-error.js';
import { JSON_BUDGET, isJsonPrimitive, knownJsonExactness } from '../codec/json-exactness.js';

/** Packed values of at least this many bytes travel in a blob file when the sender can write one. */
export const PACKED_BLOB_MIN_BYTES = 256 * 1024;

/**
 * The envelope as it goes out: plain JSON in `v`, or `v` packed. With
 * `blobDir` (the parent's blob folder), a large packed value is written
 * there instead (see above); the new file is added to `f`, so whoever owns
 * the envelope's files owns it too.
 *
 * @throws DataCloneError for a value V8 can't serialize; TempFolderError when `blobDir` isn't a private folder.
 */
export function packEncoded(encoded: Encoded, blobDir?: string): Encoded {
  if (encoded.p) return encoded;
  const exact = knownJsonExactness(encoded) ?? isJsonExact(encoded.v);
  if (exact) return encoded;
  // node:v8 is loaded on first use: it brings node:stream along, which every child's start-up would pay for.
  const bytes = builtin<typeof import('node:v8')>('node:v8').serialize(encoded.v);
  if (blobDir && bytes.length >= PACKED_BLOB_MIN_BYTES) {
    const file = writeBlob(blobDir, bytes);
    return { v: file, t: encoded.t, f: [...(encoded.f ?? []), file], p: 'file' };
  }
  const v = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
  return encoded.f === undefined ? { v, t: encoded.t, p: true } : { v, t: encoded.t, f: encoded.f, p: true };
}

/**
 * The caller's side of packEncoded for arguments: a large value JSON can't
 * carry goes beside the message now, while the call can still clean up its
 * files. A value V8 refuses is left as it is: the call message's constructor
 * reports it, as for a small one.
 *
 * @throws TempFolderError when `blobDir` isn't a private folder.
 */
export function packBeside(encoded: Encoded, blobDir: string | undefined): Encoded {
  if (!blobDir) return encoded;
  try {
    return packEncoded(encoded, blobDir);
  } catch (error) {
    if (error instanceof IsolatedCallError) throw error; // the folder was tampered with
    return encoded;
  }
}

/**
 * The value of an envelope as it arrived. Throws when a packed value isn't
 * base64 of V8's serialization: the child side takes the parent's word, the
 * parent's one gate turns the throw into a protocol error.
 */
export function unpackValue(v: unknown, packed: boolean): unknown {
  if (!packed) return v;
  if (typeof v !== 'string') throw new TypeError(`a packed value is ${typeof v}, not base64 text`);
  return builtin<typeof import('node:v8')>('node:v8').deserialize(Buffer.from(v, 'base64'));
}

/**
 * Would JSON.stringify then JSON.parse give this value back exactly? Plain
 * objects and arrays of strings, finite numbers other than -0, booleans and
 * null, each object met once (JSON would copy a shared one, and never end a
 * cycle). Arrays with holes or undefined fail, as do the rest of types.
 */
export function isJsonExact(root: unknown): boolean {
  if (typeof root !== 'object' || root === null) return isJsonPrimitive(root);
  const check = new JsonCheck();
  try {
    return check.object(root, 0);
  } catch {
    return false; // a getter threw, or the stack ran out: packing will tell
  }
}

class JsonCheck {
  private budget = JSON_BUDGET;
  private readonly seen = new Set<object>();

  object(obj: object, depth: number): boolean {
    if (--this.budget < 0 || depth > MAX_NESTING || this.seen.has(obj)) return false;
    this.seen.add(obj);
    if (Array.isArray(obj)) {
      if ((this.budget -= obj.length) < 0) return false;
      for (let i = 0; i < obj.length; i++) if (!this.value(obj[i], depth)) return false;
      return true;
    }
    if (!isObjectPrototype(Object.getPrototypeOf(obj))) return false;
    const record = obj as Record<string, unknown>;
    const keys = Object.keys(record);
    if ((this.budget -= keys.length) < 0) return false;
    for (let i = 0; i < keys.length; i++) if (!this.value(record[keys[i]!], depth)) return false;
    return true;
  }

  private value(value: unknown, depth: number): boolean {
    if (typeof value === 'object' && value !== null) return this.object(value, depth + 1);
    return isJsonPrimitive(value);
  }
}
