/**
 * Keeps the compile cache folder bounded (parent/caches/compile-cache.ts): Node
 * never removes an entry, and the temp folder may be memory (tmpfs). Node
 * keeps one subfolder per Node version, architecture and set of flags,
 * each holding one file per module compiled. Once per process, a moment
 * after its first child (off every call's path), and at most once an hour
 * per machine (a stamp file's mtime says when): a subfolder of another Node
 * version untouched for {@link STALE_DAYS} days goes, then the oldest files
 * go until the folder holds at most {@link MAX_COMPILE_CACHE_BYTES}.
 * Only real folders and regular files are touched; unlink never follows a link.
 */
import { join } from 'node:path';
import { lstatSync, readdirSync, rmdirSync, unlinkSync, writeFileSync } from '../../shared/node-fs.js';

/** The folder's bound (docs/platforms.md): typescript alone takes about 2.5 MB. */
export const MAX_COMPILE_CACHE_BYTES = 64 * 1024 * 1024;
/** Pruning takes the folder down to this, so the next prune has room to wait for. */
const PRUNED_TO_BYTES = 48 * 1024 * 1024;
const STALE_DAYS = 7;
const STAMP = '.isolated-call-pruned';
const HOUR_MS = 3_600_000;
/** Long enough for a short call's child to be started and gone. */
const DELAY_MS = 2_000;

const scheduled = new Set<string>();

/** Prunes `folder` a moment from now, once per process; the timer never holds the process open. */
export function pruneCompileCacheSoon(folder: string): void {
  if (scheduled.has(folder)) return;
  scheduled.add(folder);
  setTimeout(() => pruneCompileCache(folder), DELAY_MS).unref();
}

interface CacheFile {
  readonly path: string;
  readonly bytes: number;
  readonly mtimeMs: number;
}

/** Prunes now unless some process did within the hour. Never throws: a failure leaves the folder for the next prune. */
export function pruneCompileCache(folder: string, now = Date.now()): void {
  try {
    const stamp = join(folder, STAMP);
    if (now - stampTime(stamp) < HOUR_MS) return;
    writeFileSync(stamp, '', { mode: 0o600 });
    const currentVersion = `v${process.versions.node}-`;
    const files: CacheFile[] = [];
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const sub = join(folder, entry.name);
      const inSub = filesIn(sub);
      const newest = Math.max(0, ...inSub.map((f) => f.mtimeMs));
      if (!entry.name.startsWith(currentVersion) && now - newest > STALE_DAYS * 24 * HOUR_MS) {
        removeAll(inSub);
        removeFolder(sub);
      } else files.push(...inSub);
    }
    let total = files.reduce((sum, f) => sum + f.bytes, 0);
    if (total <= MAX_COMPILE_CACHE_BYTES) return;
    files.sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const file of files) {
      if (total <= PRUNED_TO_BYTES) break;
      if (remove(file.path)) total -= file.bytes;
    }
  } catch {
    // the folder went away, or another process prunes it too
  }
}

function stampTime(stamp: string): number {
  try {
    return lstatSync(stamp).mtimeMs;
  } catch {
    return 0;
  }
}

/** The regular files right in `folder` (Node's layout has no deeper level). */
function filesIn(folder: string): CacheFile[] {
  const files: CacheFile[] = [];
  try {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(folder, entry.name);
      const stats = lstatSync(path);
      files.push({ path, bytes: stats.size, mtimeMs: stats.mtimeMs });
    }
  } catch {
    // gone meanwhile
  }
  return files;
}

function removeAll(files: readonly CacheFile[]): void {
  for (const file of files) remove(file.path);
}

function remove(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}

function removeFolder(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // not empty (a child wrote meanwhile): the next prune
  }
}
