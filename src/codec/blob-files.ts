/**
 * Blob files: created exclusively under unpredictable names, opened
 * without following links or blocking, and read only when they are what the
 * writer left: a regular file of this user with a single name.
 */
import { closeSync, constants, fstatSync, openSync, readSync, unlinkSync, writeFileSync } from '../shared/node-fs.js';
import { join } from 'node:path';
import { builtin } from '../shared/builtin.js';
import { readStringFile, writeStringFile } from './string-files.js';

/** `<pid of the writer>-<16 random hex>`. The pid tells whose file it is; the rest can't be guessed. */
export const BLOB_FILE_NAME = /^(\d+)-[0-9a-f]{16}$/;

// O_NOFOLLOW: a link planted under the name fails instead of being followed.
// O_NONBLOCK: opening a FIFO planted under the name can't hang the event loop.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;
const READ_FLAGS = constants.O_RDONLY | NOFOLLOW | NONBLOCK;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW;

/** Files this process wrote and hasn't deleted or handed over: the only ones `unlinkOwn` deletes. */
const own = new Set<string>();

/** Writes bytes, or a string as UTF-16 (so any string round-trips), to a new file in `dir`; returns its path. */
export function writeBlobFile(dir: string, data: Uint8Array | string): string {
  const { randomBytes } = builtin<typeof import('node:crypto')>('node:crypto');
  const path = join(dir, `${process.pid}-${randomBytes(8).toString('hex')}`);
  const fd = openSync(path, CREATE_FLAGS, 0o600);
  own.add(path);
  try {
    if (typeof data === 'string') writeStringFile(fd, data);
    else writeFileSync(fd, data);
  } catch (error) {
    unlinkOwn([path]);
    throw error;
  } finally {
    closeSync(fd);
  }
  return path;
}

/**
 * Reads a blob file, checking at the open what the path can't tell: it is
 * a regular file (not a FIFO, device or directory), owned by this uid, with
 * one name only (a hard link would let its other name be read or kept).
 * With `consume`, the name is deleted right after the open: the data stays
 * readable through the descriptor, and nothing is left if this process dies.
 *
 * @throws Error saying what was wrong with the file.
 */
export function readBlobFile(path: string, asString: boolean, consume = false): Buffer | string {
  const fd = openSync(path, READ_FLAGS);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new Error('it is not a regular file');
    const uid = process.getuid?.();
    if (uid !== undefined && stats.uid !== uid) throw new Error(`it is owned by uid ${stats.uid}, not ${uid}`);
    if (process.platform !== 'win32' && stats.nlink !== 1) throw new Error(`it has ${stats.nlink} names (hard links), not 1`);
    if (consume) unlinkSync(path);
    if (asString) return readStringFile(fd, stats.size);
    const bytes = Buffer.allocUnsafe(stats.size);
    for (let at = 0; at < bytes.length; ) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n === 0) throw new Error(`it ended after ${at} of ${bytes.length} bytes`);
      at += n;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** Deletes files this process wrote; any other path is left alone. Ones already gone are fine. */
export function unlinkOwn(paths: readonly string[]): void {
  for (const path of paths) {
    if (!own.delete(path)) continue;
    try {
      unlinkSync(path);
    } catch {
      // already deleted (a child consumed it), or the folder went with the parent
    }
  }
}

/** The files now belong to the other side, which deletes them: stop tracking them. */
export function handOver(paths: readonly string[]): void {
  for (const path of paths) own.delete(path);
}

/** Deletes a name in a folder this process made, whoever wrote it; never follows a link. */
export function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
}
