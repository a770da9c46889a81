/**
 * The entries of the module cache (module-cache.ts), one file per module:
 * `<folder>/v<node>-<arch>-<flags>/<key>.jsc`, the subfolder named after
 * what V8 checks a code cache against (its version, the node flags), the
 * file after the module's path and content (SHA-256: a same-size edit of a
 * dependency names another entry). A file is the child build's cache
 * format (shared/code-cache-format.ts) with one difference: its checksum
 * covers the key too, so an entry copied under another module's name
 * fails it. An entry with no payload says "compile this module with
 * Node's own compiler" (dynamic-import-check.ts).
 *
 * An entry is read only when it is a regular file (opened without
 * following a link or blocking) whose checksum holds; anything else there
 * is dropped, and the module compiled as if there were none. Entries are
 * written whole under a temporary name and renamed into place. The parent
 * keeps the folder under its bound (parent/caches/compile-cache-prune.ts).
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheHeader, cachePayload, MAX_CACHE_BYTES } from '../../shared/code-cache-format.js';
import { privateFolder } from '../../shared/private-folder.js';

/** Bumped when the entry's format or what names it changes. */
const FORMAT = 1;

type Crypto = typeof import('node:crypto');
let crypto: Crypto | undefined;
/** Loaded on the first module worth caching: a child that loads none never pays for it. */
function sha256(): import('node:crypto').Hash {
  crypto ??= require('node:crypto') as Crypto;
  return crypto.createHash('sha256');
}

/** This process's subfolder of `folder`, made private; undefined when it isn't safely ours. */
export function entryFolder(folder: string): string | undefined {
  const flags = fnv1a(JSON.stringify([FORMAT, process.versions.v8, process.execArgv, process.env.NODE_OPTIONS ?? '']));
  return privateFolder(join(folder, `v${process.versions.node}-${process.arch}-${flags}`));
}

/** A name for the flags, not a check (V8 checks them itself): FNV-1a, so a child that caches nothing never loads node:crypto. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Large strings are hashed in slices: one 9 MB UTF-8 copy costs more page faults than hashing. */
const SLICE = 65_536;

/** The key of a module: its path and its content. */
export function entryKey(filename: string, source: string): string {
  const hash = sha256().update(filename).update('\0');
  for (let at = 0; at < source.length; at += SLICE) hash.update(source.slice(at, at + SLICE));
  return hash.digest('hex').slice(0, 40);
}

export function entryPath(subfolder: string, key: string): string {
  return join(subfolder, `${key}.jsc`);
}

/** What an entry holds: V8's bytes, "use Node's compiler" (an empty payload), or nothing usable (none, or dropped). */
export type Entry =
  | { readonly kind: 'code'; readonly data: Buffer }
  | { readonly kind: 'node' }
  | { readonly kind: 'none'; readonly dropped?: true };

/** Reads the entry at `path` for `key`; one that is not a good entry of ours is dropped. */
export function readEntry(path: string, key: string): Entry {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    // ELOOP: a link planted under an entry's name. Anything else (ENOENT): no entry.
    if ((error as NodeJS.ErrnoException).code !== 'ELOOP') return { kind: 'none' };
    dropEntry(path);
    return { kind: 'none', dropped: true };
  }
  try {
    const stats = fstatSync(fd);
    const file = stats.isFile() && stats.size <= MAX_CACHE_BYTES ? readFileSync(fd) : undefined;
    const entry = file && cachePayload(file);
    if (entry && sha256().update(key).update(entry.payload).digest().equals(entry.digest))
      return entry.payload.length === 0 ? { kind: 'node' } : { kind: 'code', data: entry.payload };
  } catch {
    // unreadable: dropped below
  } finally {
    closeSync(fd);
  }
  dropEntry(path);
  return { kind: 'none', dropped: true };
}

/** Removes what is at `path` (unlink never follows a link); gone already is fine. */
export function dropEntry(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
}

/** Stores `data` (empty: "use Node's compiler") for `key`; a failure only means the next child compiles the module again. */
export function writeEntry(path: string, key: string, data: Uint8Array): void {
  if (data.length > MAX_CACHE_BYTES) return;
  const header = cacheHeader(data, sha256().update(key).update(data).digest());
  // Made exclusively ('wx'): a name taken already fails the write, never follows a link.
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat([header, data]), { flag: 'wx', mode: 0o600 });
    renameSync(temporary, path);
  } catch {
    dropEntry(temporary);
  }
}
