import { chmodSync, lstatSync, mkdirSync } from './node-fs.js';

/**
 * `path` as this user's private folder: made with mkdir (never adopted if it
 * is a link), owned by this uid, mode exactly 0700. Undefined when it isn't
 * safely ours, or there are no uids (Windows); `refused` then hears why. The
 * caches that live in such a folder hold code a child runs, so a folder
 * anyone else could write to is never used.
 */
export function privateFolder(path: string, refused?: (why: string) => void): string | undefined {
  if (typeof process.getuid !== 'function') return undefined;
  try {
    // There already, the common case: no mkdir (its EEXIST is an exception, on every child's start).
    lstatSync(path);
  } catch {
    return made(path, refused);
  }
  return checked(path, refused);
}

function made(path: string, refused?: (why: string) => void): string | undefined {
  try {
    mkdirSync(path, { mode: 0o700 });
    chmodSync(path, 0o700); // the umask may have taken bits off
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') {
      refused?.(`it could not be made (${code ?? String(error)})`);
      return undefined;
    }
  }
  return checked(path, refused);
}

/** `path` if it is a folder (not a link) of this uid with mode 0700; else `refused` hears why. */
function checked(path: string, refused?: (why: string) => void): string | undefined {
  const uid = (process.getuid as () => number)();
  try {
    const stats = lstatSync(path);
    const why = stats.isSymbolicLink()
      ? 'it is a symbolic link'
      : !stats.isDirectory()
        ? 'it is not a folder'
        : stats.uid !== uid
          ? `it belongs to uid ${stats.uid}, not to this user (uid ${uid})`
          : (stats.mode & 0o777) !== 0o700
            ? `its mode is ${(stats.mode & 0o777).toString(8).padStart(4, '0')}, not 0700`
            : undefined;
    if (why === undefined) return path;
    refused?.(why);
  } catch {
    // gone in between: no cache this time, nothing to say
  }
  return undefined;
}

/** The OS temp folder as `os.tmpdir()` finds it on POSIX, for a process with environment `env` (a child's). */
export function tmpdirIn(env: NodeJS.ProcessEnv): string {
  let dir = env.TMPDIR || env.TMP || env.TEMP || '/tmp';
  if (dir.length > 1 && dir.endsWith('/')) dir = dir.slice(0, -1);
  return dir;
}
