/**
 * Large payloads beside the IPC message: what the codec, the pool and both
 * processes call. The folder is blob-folder.ts, file handling blob-files.ts.
 *
 * Who may name which file: the parent writes argument files as
 * `<parent pid>-<hex>`, a child writes result files as `<child pid>-<hex>`,
 * all in the parent's folder. Everything a child's reply names is untrusted:
 * the parent reads and deletes a file only if it sits directly in the
 * parent's current folder, is named for that child's pid, is listed in the
 * reply's `f`, and (to be read) opens as a regular file of this uid with one
 * name. Anything else fails that call with a ProtocolError.
 */
import { readdirSync } from '../shared/node-fs.js';
import { basename, dirname, join } from 'node:path';
import { IsolatedCallError } from '../errors/isolated-call-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { checkFolder, currentBlobDirectory, folderProblem } from './blob-folder.js';
import { BLOB_FILE_NAME, handOver, readBlobFile, unlinkOwn, unlinkQuietly, writeBlobFile } from './blob-files.js';
import type { Encoded } from './tags.js';

export { blobDirectory } from './blob-folder.js';

/**
 * Binary data and strings of at least this many bytes don't go through the
 * IPC channel: Node serializes, pipes and reassembles a message in several
 * copies, and the receiving side keeps the reassembly memory. A file in tmpfs costs one
 * copy each way.
 */
export const BLOB_MIN_BYTES = 1024 * 1024;

/** Reads the file a blob tag names; the decoder's `readBlob` hook. */
export type BlobReader = (file: string, asString: boolean) => Buffer | string;

/**
 * Writes a large part into `dir` (the parent's folder, checked first) and
 * returns the file's path, for the encoder.
 *
 * @throws TempFolderError when `dir` is not a private folder of this user.
 */
export function writeBlob(dir: string, data: Uint8Array | string): string {
  checkFolder(dir);
  return writeBlobFile(dir, data);
}

/** Deletes blob files this process wrote (its arguments, or a result never sent). Other paths are ignored. */
export function discardBlobs(paths: readonly string[] | undefined): void {
  if (paths && paths.length > 0) unlinkOwn(paths);
}

/** Child side: the result's files were sent; from now on they are the parent's to delete. */
export function handOverBlobs(paths: readonly string[] | undefined): void {
  if (paths) handOver(paths);
}

/**
 * Why a child's reply names files the parent must not touch, or undefined
 * when every file in its `f` is one the child `pid` may have written in the
 * parent's folder. Checked before the reply is accepted.
 */
export function replyFilesProblem(encoded: Encoded, pid: number | undefined): string | undefined {
  for (const file of encoded.f ?? []) {
    const problem = childFileProblem(file, pid);
    if (problem !== undefined) return `it names the blob file ${JSON.stringify(file.slice(0, 200))}, which ${problem}`;
  }
  return undefined;
}

function childFileProblem(file: string, pid: number | undefined): string | undefined {
  const folder = currentBlobDirectory();
  if (folder === undefined || dirname(file) !== folder)
    return `is not in the parent's folder for large payloads (${folder ?? 'none made'})`;
  const name = basename(file);
  if (BLOB_FILE_NAME.exec(name)?.[1] !== String(pid)) return `is not named like a file of this child (${pid}-<16 hex digits>)`;
  return undefined;
}

/**
 * Parent side: the decoder's `readBlob` for a child's reply. A file is read
 * only if the reply lists it in `f`, it passes replyFilesProblem, and it opens
 * as a regular file of this uid with one name (no link followed, no FIFO
 * waited on).
 *
 * @throws ProtocolError for any other file; TempFolderError if the folder was tampered with.
 */
export function replyBlobReader(encoded: Encoded, pid: number | undefined): BlobReader {
  const listed = new Set(encoded.f ?? []);
  return (file, asString) => {
    const refuse = (problem: string) =>
      new ProtocolError(
        `The child (pid ${pid}) sent a reply whose large payload is the file ${JSON.stringify(String(file).slice(0, 200))}, which ` +
          `${problem}. ` +
          "The parent reads only regular files the child created in the parent's own folder. " +
          'The child may have been subverted by the data it processed, or two versions of isolated-call are installed.',
        { pid },
      );
    if (typeof file !== 'string' || !listed.has(file)) throw refuse("is not listed in the reply's files");
    const problem = childFileProblem(file, pid);
    if (problem !== undefined) throw refuse(problem);
    checkFolder(dirname(file));
    try {
      return readBlobFile(file, asString);
    } catch (error) {
      if (error instanceof IsolatedCallError) throw error;
      throw refuse(`could not be read safely: ${(error as Error).message}`);
    }
  };
}

/**
 * Child side: the decoder's `readBlob` for the parent's argument files. The
 * parent is trusted, but a file still has to open as a regular file of this
 * uid with one name. With `consume`, each is deleted as soon as it is open.
 */
export function argumentBlobReader(consume: boolean): BlobReader {
  return (file, asString) => readBlobFile(file, asString, consume);
}

/**
 * Deletes the files of a child's reply (its large result), once the parent
 * has read them or never will. Only names replyFilesProblem accepts for the
 * child `pid` are deleted; in the child, only its own unsent files.
 */
export function discardReplyBlobs(
  reply: { readonly type: string; readonly value?: unknown; readonly error?: unknown },
  pid?: number,
): void {
  const encoded = (reply.type === 'result' ? reply.value : reply.error) as Encoded | undefined;
  const files = encoded?.f;
  if (!files || !Array.isArray(files)) return;
  const folder = currentBlobDirectory();
  if (folder === undefined) {
    unlinkOwn(files); // the child: its own files only
    return;
  }
  if (folderProblem(folder) !== undefined) return; // a replaced folder (a link) must not lead the unlink elsewhere
  for (const file of files) {
    if (typeof file === 'string' && (pid === undefined ? isChildFile(file) : childFileProblem(file, pid) === undefined))
      unlinkQuietly(file);
  }
}

/** Parent side: deletes the files of an encoded value a child sent (a callback's arguments), as discardReplyBlobs does. */
export function discardChildBlobs(encoded: Encoded, pid: number | undefined): void {
  discardReplyBlobs({ type: 'result', value: encoded }, pid);
}

/** In the parent's folder and named for some process other than the parent: never one of the parent's argument files. */
function isChildFile(file: string): boolean {
  const folder = currentBlobDirectory();
  const owner = BLOB_FILE_NAME.exec(basename(file))?.[1];
  return folder !== undefined && dirname(file) === folder && owner !== undefined && owner !== String(process.pid);
}

/**
 * Deletes what a child that has ended left in the parent's folder: a file it
 * was writing when it was killed, or a result it never got to announce.
 * Called at the child's exit, when any reply it sent has been read already.
 */
export function discardFilesOf(pid: number | undefined): void {
  const folder = currentBlobDirectory();
  if (folder === undefined || pid === undefined || pid === process.pid || folderProblem(folder) !== undefined) return;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) if (BLOB_FILE_NAME.exec(name)?.[1] === String(pid)) unlinkQuietly(join(folder, name));
}
