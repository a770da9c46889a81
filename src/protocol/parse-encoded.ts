import type { Encoded } from '../codec/tags.js';
import { isObjectPrototype } from '../shared/plain-object.js';
import { describe, isRecord, isText, own } from './field-checks.js';
import { unpackValue } from './wire-value.js';

/** Most blob files one reply may name. */
export const MAX_REPLY_FILES = 65_536;
/** Longest blob file path a reply may name. */
export const MAX_FILE_PATH_LENGTH = 4096;

/**
 * The envelope of an encoded value: `{ v, t: boolean, f?: string[], p?: true | 'file' }`,
 * its value unpacked when `p` is true (wire-value.ts); a packed file, which
 * `f` must list, is read when the value is decoded. The tree under `v`
 * is the decoder's to check; the file list is checked against the parent's
 * folder before anything is read or deleted (blobs.ts).
 */
export function parseEncoded(encoded: unknown, name: string): Encoded | string {
  if (!isRecord(encoded) || !isObjectPrototype(Object.getPrototypeOf(encoded)))
    return `its ${name} is ${describe(encoded)}, not an encoded value`;
  if (!Object.hasOwn(encoded, 'v')) return `its ${name} has no v`;
  const t = own(encoded, 't');
  if (typeof t !== 'boolean') return `its ${name}.t is ${describe(t)}, not a boolean`;
  const p = own(encoded, 'p');
  if (p !== undefined && p !== true && p !== 'file') return `its ${name}.p is ${describe(p)}, not true or 'file'`;
  let v: unknown = encoded.v;
  if (p === true) {
    try {
      v = unpackValue(v, true);
    } catch (error) {
      return `its ${name}.v is not a packed value (${String(error)})`;
    }
  }
  const f = own(encoded, 'f');
  if (f === undefined) return p === 'file' ? unlistedFile(name) : { v, t };
  if (!Array.isArray(f) || f.length > MAX_REPLY_FILES) return `its ${name}.f is not an array of at most ${MAX_REPLY_FILES} file names`;
  const files: string[] = [];
  for (let i = 0; i < f.length; i++) {
    const file: unknown = f[i];
    if (!isText(file, MAX_FILE_PATH_LENGTH) || file.length === 0)
      return `its ${name}.f[${i}] is not a file path of 1 to ${MAX_FILE_PATH_LENGTH} characters`;
    files.push(file);
  }
  if (p !== 'file') return { v, t, f: files };
  return files.includes(v as string) ? { v, t, f: files, p } : unlistedFile(name);
}

function unlistedFile(name: string): string {
  return `its ${name}.v names a packed value's file that its f doesn't list`;
}
