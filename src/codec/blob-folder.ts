/**
 * The parent's private folder for large payloads. Made once, mode 0700, under
 * a random name; checked before every use; never removed and made again under
 * the same name while the parent lives (a name that vanished could be taken
 * by another local user in between). Children only ever write into it.
 */
import { existsSync, lstatSync, mkdirSync, chmodSync, rmSync } from '../shared/node-fs.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debuglog } from 'node:util';
import { TempFolderError } from '../errors/temp-folder-error.js';
import { builtin } from '../shared/builtin.js';
import { sweepDeadFolders } from './sweep-dead-folders.js';

const debug = debuglog('isolated-call');

/** `isolated-call-<pid>-<random hex>`: the pid lets a later parent sweep the folders of dead ones. */
const FOLDER_PREFIX = 'isolated-call-';

/** The folder handed out now; undefined before the first call. */
let current: string | undefined;
/** Every folder this process made (more than one only after one was tampered with). */
const made = new Set<string>();
let swept = false;
/** When `current` last passed folderProblem. */
let checkedAt = -Infinity;
/**
 * How long a passed check stands between calls, so a warm call doesn't pay
 * for one each time. Every read and write checks anyway (checkFolder): this
 * only bounds how soon a folder spoiled behind the parent's back (seen only by
 * a child) is replaced.
 */
const RECHECK_MS = 100;
let exitHook = false;

/**
 * The parent's blob folder, made on first use. Checked again when the last
 * check is RECHECK_MS old or a read or write found it spoiled: one that is no
 * longer ours (gone, a link, another owner, another mode) is abandoned with a
 * warning and a new one is made under a new random name. Never throws: when
 * no folder can be made, the path is still returned and whoever writes there
 * gets a `TempFolderError`.
 */
export function blobDirectory(): string {
  if (current !== undefined) {
    const now = performance.now();
    if (now - checkedAt < RECHECK_MS) return current;
    const problem = folderProblem(current);
    if (problem === undefined) {
      checkedAt = now;
      return current;
    }
    process.emitWarning(`isolated-call: the folder for large payloads ${current} ${problem}; using a new one.`, {
      code: 'ISOLATED_CALL_TEMP_FOLDER',
    });
    made.delete(current);
  }
  current = makeFolder(baseDirectory());
  checkedAt = performance.now();
  return current;
}

/** The current folder if this process has made one (the parent side), for checks. */
export function currentBlobDirectory(): string | undefined {
  return current;
}

/** In tmpfs where there is one: memory, not disk. */
function baseDirectory(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

/**
 * Makes a new folder in `base`: mkdir without `recursive`, so an existing
 * entry of that name (planted, or a leftover) is never adopted; EEXIST means
 * another random name. Returns the path even when it failed (see blobDirectory).
 */
export function makeFolder(base: string, randomName: () => string = randomFolderName): string {
  let path = join(base, randomName());
  for (let attempt = 1; attempt <= 8; attempt++, path = join(base, randomName())) {
    try {
      mkdirSync(path, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      debug('could not make the blob folder %s: %s', path, (error as Error).message);
      return path;
    }
    // The umask may have taken bits off: the check wants exactly 0700.
    if (process.platform !== 'win32') chmodSync(path, 0o700);
    made.add(path);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', removeMadeFolders);
    }
    if (!swept) {
      swept = true;
      sweepDeadFolders(base, FOLDER_PREFIX);
    }
    return path;
  }
  return path;
}

function randomFolderName(): string {
  const { randomBytes } = builtin<typeof import('node:crypto')>('node:crypto');
  return `${FOLDER_PREFIX}${process.pid}-${randomBytes(8).toString('hex')}`;
}

/**
 * What is wrong with the folder, or undefined when it is the private folder
 * a process of this user made: a directory (not a link), owned by this uid,
 * mode exactly 0700. Windows has neither owners nor modes to check.
 */
export function folderProblem(path: string): string | undefined {
  let stats: ReturnType<typeof lstatSync>;
  try {
    stats = lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist (it was removed, or could not be made)' : `can't be checked (${code ?? String(error)})`;
  }
  if (stats.isSymbolicLink()) return 'is a symbolic link, not a directory';
  if (!stats.isDirectory()) return 'is not a directory';
  if (process.platform === 'win32') return undefined;
  const uid = process.getuid!();
  if (stats.uid !== uid) return `is owned by uid ${stats.uid}, not by this process's uid ${uid}`;
  const mode = stats.mode & 0o7777;
  if (mode !== 0o700) return `has mode ${mode.toString(8).padStart(4, '0')}, not 0700`;
  return undefined;
}

/**
 * Throws `TempFolderError` unless `path` is a private folder of this user (see
 * folderProblem). Called before every read and write of a blob file.
 */
export function checkFolder(path: string): void {
  const problem = folderProblem(path);
  if (problem === undefined) return;
  if (path === current) checkedAt = -Infinity; // the next call gets a new folder
  throw new TempFolderError(path, problem);
}

/** At exit: the folders this process made, if they are still its own (a replaced one is not ours to delete). */
function removeMadeFolders(): void {
  for (const path of made) {
    if (folderProblem(path) === undefined) rmSync(path, { recursive: true, force: true });
  }
}
