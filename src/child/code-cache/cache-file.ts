/**
 * Reading and writing the child build's V8 code cache in the file the parent
 * named and checked (parent/caches/code-cache.ts). A child reads only that
 * very file (same identity: nobody wrote to it since), and after a miss
 * writes a new one, header and checksum first, to a temporary name renamed
 * into place, so no child reads half a file. Each write keeps the folder to
 * the {@link KEPT_CACHES} newest caches: a machine with many installs of the
 * SDK (a CI runner) would otherwise fill its temp folder, which may be memory.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  CODE_CACHE_ARG,
  type CodeCacheOrder,
  cacheHeader,
  cachePayload,
  fileIdentity,
  MAX_CACHE_BYTES,
} from '../../shared/code-cache-format.js';

/** The parent's order for this child, or undefined (no cache: off, bundled, or not a private folder). */
export function codeCacheOrder(argv: readonly string[] = process.argv): CodeCacheOrder | undefined {
  const prefix = `${CODE_CACHE_ARG}=`;
  const arg = argv.find((a) => a.startsWith(prefix));
  if (arg === undefined) return undefined;
  try {
    const order = JSON.parse(arg.slice(prefix.length)) as Partial<CodeCacheOrder>;
    if (typeof order.file !== 'string' || typeof order.build !== 'string') return undefined;
    return { file: order.file, build: order.build, ...(typeof order.cache === 'string' ? { cache: order.cache } : {}) };
  } catch {
    return undefined;
  }
}

/** A file's text and identity, from one open (the identity is of the bytes read). */
export function readWithIdentity(path: string): { text: string; identity: string } {
  const fd = openSync(path, 'r');
  try {
    const identity = fileIdentity(fstatSync(fd, { bigint: true }));
    return { text: readFileSync(fd, 'utf8'), identity };
  } finally {
    closeSync(fd);
  }
}

/** V8's bytes from the cache file the parent checked, or undefined when that file is no longer the one it checked. */
export function readCodeCache(file: string, identity: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = fstatSync(fd, { bigint: true });
    if (fileIdentity(stats) !== identity || stats.size > BigInt(MAX_CACHE_BYTES)) return undefined;
    return cachePayload(readFileSync(fd))?.payload;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Caches kept in the folder: one per install of the SDK, Node version and set of child flags in use. */
export const KEPT_CACHES = 16;

const CACHE_NAME = /^child-[0-9a-f]{8}(?:[0-9a-f]{8})?\.v8$/;
const TEMPORARY_NAME = /^child-[0-9a-f]{8}(?:[0-9a-f]{8})?\.v8\.\d+-\d+\.tmp$/;
/** A temporary file this old was left by a child that died between write and rename. */
const STALE_TEMPORARY_MS = 60_000;

/** Stores V8's bytes with their header, then prunes the folder; a failure only means the next child compiles the build again. */
export function writeCodeCache(file: string, data: Buffer): void {
  // node:crypto only here, as a child that missed exits: loading it costs milliseconds of a start-up.
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const header = cacheHeader(data, createHash('sha256').update(data).digest());
  // Made exclusively ('wx'): a name taken already fails the write, never follows a link.
  const temporary = `${file}.${process.pid}-${process.hrtime.bigint()}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat([header, data]), { flag: 'wx', mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // never made
    }
  }
  pruneCodeCaches(dirname(file), basename(file));
}

/** Removes all but the newest {@link KEPT_CACHES} caches (never `keep`), and stale temporary files. Only names of ours; unlink never follows a link. */
function pruneCodeCaches(folder: string, keep: string): void {
  try {
    const now = Date.now();
    const caches: { name: string; mtime: number }[] = [];
    for (const name of readdirSync(folder)) {
      if (CACHE_NAME.test(name) && name !== keep) caches.push({ name, mtime: lstatSync(join(folder, name)).mtimeMs });
      else if (TEMPORARY_NAME.test(name) && now - lstatSync(join(folder, name)).mtimeMs > STALE_TEMPORARY_MS)
        unlinkSync(join(folder, name));
    }
    caches.sort((a, b) => b.mtime - a.mtime);
    for (const { name } of caches.slice(KEPT_CACHES - 1)) unlinkSync(join(folder, name));
  } catch {
    // another child prunes too, or the folder went away: the next write tries again
  }
}
