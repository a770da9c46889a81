import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { builtin } from '../shared/builtin.js';

/**
 * Binary data and strings of at least this many bytes don't go through the
 * IPC channel: Node serializes, pipes and reassembles a message in several
 * copies (a 10 MB Buffer echo costs about 4x v8.serialize + deserialize), and
 * the receiving side keeps the reassembly memory. A file in tmpfs costs one
 * copy each way.
 */
export const SIDE_CHANNEL_MIN_BYTES = 1024 * 1024;

let directory: string | undefined;
let counter = 0;

/**
 * The parent's folder for large payloads, in tmpfs where there is one. Only
 * its (unguessable) name is decided here; whichever process first has a large
 * payload creates it, mode 0700, so calls with small data never touch the
 * file system. Children write into the folder their call names. Files are the
 * parent's to delete, once the call is over however it ended; the folder goes
 * when the parent exits.
 */
export function blobDirectory(): string {
  if (directory === undefined) {
    const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    const { randomBytes } = builtin<typeof import('node:crypto')>('node:crypto');
    const chosen = join(base, `isolated-call-${process.pid}-${randomBytes(8).toString('hex')}`);
    directory = chosen;
    process.once('exit', () => rmSync(chosen, { recursive: true, force: true }));
  }
  return directory;
}

/**
 * Deletes what a child that has ended left in the parent's folder: a file it
 * was writing when it was killed, or a result it never got to announce.
 * Called at the child's exit, when any reply it sent has been read already.
 */
export function discardFilesOf(pid: number | undefined): void {
  if (directory === undefined || pid === undefined) return;
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return; // never created: nothing was written
  }
  discardBlobs(names.filter((name) => name.startsWith(`${pid}-`)).map((name) => join(directory!, name)));
}

/** Writes bytes (or a string, as UTF-16 so any string round-trips) and returns the file's path. */
export function writeBlob(dir: string, data: Uint8Array | string): string {
  const path = join(dir, `${process.pid}-${++counter}`);
  // The folder may not exist yet, or the parent may just have removed it as
  // empty: create it and try again (a second race in a row is not expected).
  for (let attempt = 1; ; attempt++) {
    try {
      write(path, data);
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw error;
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    }
  }
}

function write(path: string, data: Uint8Array | string): void {
  if (typeof data === 'string') writeFileSync(path, data, { encoding: 'utf16le', mode: 0o600 });
  else writeFileSync(path, data, { mode: 0o600 });
}

export function readBlob(path: string): Buffer {
  return readFileSync(path);
}

export function readStringBlob(path: string): string {
  return readFileSync(path, 'utf16le');
}

/**
 * Deletes payload files; ones already gone are fine. The folder goes too once
 * it is empty: a parent killed without running its exit hook (a test runner's
 * worker, say) must not leave folders behind in tmpfs.
 */
export function discardBlobs(paths: readonly string[] | undefined): void {
  if (!paths || paths.length === 0) return;
  for (const path of paths) {
    try {
      unlinkSync(path);
    } catch {
      // already deleted, or the folder went with the parent
    }
  }
  try {
    rmdirSync(dirname(paths[0]!));
  } catch {
    // other calls' files are still there (ENOTEMPTY), or it's gone already
  }
}

/** Deletes the files of a child's reply (its large result), once the parent has read them or never will. */
export function discardReplyBlobs(reply: { readonly type: string; readonly value?: unknown; readonly error?: unknown }): void {
  const encoded = (reply.type === 'result' ? reply.value : reply.error) as { f?: readonly string[] } | undefined;
  discardBlobs(encoded?.f);
}
