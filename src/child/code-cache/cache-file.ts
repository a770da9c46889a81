/**
 * Where a child build's V8 code cache lives, and reading and writing it.
 *
 * The file is in `isolated-call-cache-<uid>` in the OS temp folder, used only
 * if it is this user's private folder (shared/private-folder.ts): V8 runs the
 * bytecode it finds there. Its name hashes what decides whether the bytecode
 * fits: V8's version, the build's path, size and mtime, and the node flags
 * (V8 rejects a cache made under other flags; children with other flags get
 * a file of their own instead of overwriting each other's). V8 checks the
 * rest and rejects what doesn't match. Written to a temporary name and
 * renamed into place, so a child never reads half a file. Each write keeps
 * the folder to the {@link KEPT_CACHES} newest caches (a machine that runs
 * many installs of the SDK, a CI runner, would otherwise fill its temp
 * folder, which may be memory). `ISOLATED_CALL_CODE_CACHE=off` turns it off.
 */
import { lstatSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { privateFolder } from '../../shared/private-folder.js';

/** The cache file for `build`, or undefined when there is no private folder or caching is off. */
export function codeCacheFile(build: string): string | undefined {
  if (process.env.ISOLATED_CALL_CODE_CACHE === 'off' || typeof process.getuid !== 'function') return undefined;
  const folder = privateFolder(join(tmpdir(), `isolated-call-cache-${process.getuid()}`));
  if (!folder) return undefined;
  const { size, mtimeMs } = statSync(build);
  const key = [process.versions.v8, process.arch, build, size, mtimeMs, ...process.execArgv].join('\0');
  return join(folder, `child-${fnv1a(key)}.v8`);
}

/** The cached bytes, or undefined when there are none (yet). */
export function readCodeCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Caches kept in the folder: one per install of the SDK, Node version and set of child flags in use. */
export const KEPT_CACHES = 16;

const CACHE_NAME = /^child-[0-9a-f]{8}\.v8$/;
const TEMPORARY_NAME = /^child-[0-9a-f]{8}\.v8\.\d+-\d+\.tmp$/;
/** A temporary file this old was left by a child that died between write and rename. */
const STALE_TEMPORARY_MS = 60_000;

/** Stores the bytes, then prunes the folder; a failure only means the next child compiles the build again. */
export function writeCodeCache(file: string, data: Buffer): void {
  // Made exclusively ('wx'): a name taken already fails the write, never follows a link. No node:crypto: it costs a child's start-up.
  const temporary = `${file}.${process.pid}-${process.hrtime.bigint()}.tmp`;
  try {
    writeFileSync(temporary, data, { flag: 'wx', mode: 0o600 });
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

/** 32-bit FNV-1a, as hex: a file name, not a check (V8 checks the bytes). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
