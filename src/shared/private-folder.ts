import { chmodSync, lstatSync, mkdirSync } from 'node:fs';

/**
 * `path` as this user's private folder: made with mkdir (never adopted if it
 * is a link), owned by this uid, mode exactly 0700. Undefined when it isn't
 * safely ours, or there are no uids (Windows). The caches that live in such
 * a folder hold code a child runs, so a folder anyone else could write to is
 * never used.
 */
export function privateFolder(path: string): string | undefined {
  if (typeof process.getuid !== 'function') return undefined;
  try {
    mkdirSync(path, { mode: 0o700 });
    chmodSync(path, 0o700); // the umask may have taken bits off
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    const stats = lstatSync(path);
    if (stats.isDirectory() && !stats.isSymbolicLink() && stats.uid === process.getuid() && (stats.mode & 0o777) === 0o700) {
      return path;
    }
  } catch {
    // gone in between
  }
  return undefined;
}
