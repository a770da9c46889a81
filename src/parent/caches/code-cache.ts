/**
 * Which V8 code cache of the child build a child gets (its format:
 * shared/code-cache-format.ts). The parent decides, so a fresh child spends
 * no time hashing: it names the file after the build's content (hashed once
 * per version of the file), V8's version and the child's node flags, in
 * this user's private folder `isolated-call-cache-<uid>` in the child's temp
 * folder, and checks the file's checksum once per version of the file before
 * any child reads it. A damaged file is dropped (the child writes a good
 * one). A child that still dies before `ready` on a cache (bytes that pass
 * the checksum and crash V8 anyway) makes this process drop the file and give
 * no child a cache there again; its call runs once more (method-pool.ts).
 * `ISOLATED_CALL_CODE_CACHE=off` in the child's environment turns it off.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { debuglog } from 'node:util';
import { builtin } from '../../shared/builtin.js';
import { CODE_CACHE_ARG, type CodeCacheOrder, cachePayload, fileIdentity, MAX_CACHE_BYTES } from '../../shared/code-cache-format.js';
import { codeCacheOff } from '../../shared/environment.js';
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, statSync, unlinkSync } from '../../shared/node-fs.js';
import { isSdkBundled, ownUrl } from '../../shared/sdk-location.js';
import { privateFolder, tmpdirIn } from '../../shared/private-folder.js';
import { warnCacheRefused } from './cache-warning.js';
import type { ChildCommand } from '../children/child-command.js';

const debug = debuglog('isolated-call');

/** Bumped when the file's format or what names it changes. */
const FORMAT = 2;

/** A child's code cache, as given to it. */
export interface GivenCodeCache {
  /** The arguments that tell the child (after its entry). */
  readonly args: readonly string[];
  /**
   * The child died before `ready`, by `signal`: if that is a crash of the
   * process itself (not a kill from outside) and it was given a cache to
   * read, the file is dropped, no child of this process gets a cache there
   * again, and the answer is true (its call never started: it may run once more).
   */
  diedBeforeReady(signal: NodeJS.Signals | null): boolean;
}

/** How a process dies of bad code or data: what V8 does with a cache it can't read (SIGTRAP from a fatal check, SIGSEGV). */
const CRASH_SIGNALS = new Set<NodeJS.Signals>(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGFPE']);

let build: { path: string; identity: string; digest: string } | undefined;
/** Cache file names by command and build digest: the name is a hash, made once. */
const names = new WeakMap<ChildCommand, { digest: string; file: string }>();
/** Cache files whose checksum this process checked: the identity each had then. */
const checked = new Map<string, string>();
/** Cache files a child died on before `ready`. */
const distrusted = new Set<string>();

/** The code cache for a child started with `command`; undefined: none (off, bundled, no private folder, no uids). */
export function giveCodeCache(command: ChildCommand): GivenCodeCache | undefined {
  if (isSdkBundled() || typeof process.getuid !== 'function' || codeCacheOff(command.env)) return undefined;
  let order: CodeCacheOrder;
  try {
    const { identity, digest } = hashedBuild();
    const path = join(tmpdirIn(command.env), `isolated-call-cache-${process.getuid()}`);
    const folder = privateFolder(path, (why) => warnCacheRefused('code cache', path, why));
    if (!folder) return undefined;
    const file = cacheFileName(command, folder, digest);
    if (distrusted.has(file)) return undefined;
    const cache = checkedIdentity(file);
    order = cache === undefined ? { file, build: identity } : { file, build: identity, cache };
  } catch (error) {
    debug('no code cache for this child: %s', (error as Error).message);
    return undefined;
  }
  return {
    args: [`${CODE_CACHE_ARG}=${JSON.stringify(order)}`],
    diedBeforeReady: (signal) => {
      if (order.cache === undefined || signal === null || !CRASH_SIGNALS.has(signal)) return false;
      debug('a child died before ready on the code cache %s: dropped, and not used again by this process', order.file);
      distrusted.add(order.file);
      dropIfUnchanged(order.file, order.cache);
      return true;
    },
  };
}

/** The cache's file: named after what decides whether V8 can use it (V8's version, the build's content, the node flags). */
function cacheFileName(command: ChildCommand, folder: string, digest: string): string {
  let name = names.get(command);
  if (name?.digest !== digest || !name.file.startsWith(`${folder}/`)) {
    const key = [FORMAT, process.versions.v8, process.arch, digest, nodeFlagsOf(command), command.env.NODE_OPTIONS ?? ''];
    name = { digest, file: join(folder, `child-${sha256(JSON.stringify(key)).slice(0, 16)}.v8`) };
    names.set(command, name);
  }
  return name.file;
}

/** The child build's identity and the SHA-256 of its content, hashed again only when the file changed (any write changes its ctime). */
function hashedBuild(): { identity: string; digest: string } {
  const path = fileURLToPath(new URL('./child-build.cjs', ownUrl));
  if (build?.path === path && build.identity === fileIdentity(statSync(path, { bigint: true }))) return build;
  const fd = openSync(path, 'r');
  try {
    build = { path, identity: fileIdentity(fstatSync(fd, { bigint: true })), digest: sha256(readFileSync(fd)) };
    return build;
  } finally {
    closeSync(fd);
  }
}

/**
 * The identity of the cache file if its checksum holds (checked once per
 * identity); undefined when there is none. One that fails is dropped.
 */
function checkedIdentity(file: string): string | undefined {
  try {
    const known = checked.get(file);
    if (known !== undefined && fileIdentity(lstatSync(file, { bigint: true })) === known) return known;
  } catch {
    return undefined;
  }
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO put there never blocks the parent.
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd, { bigint: true });
    const identity = fileIdentity(stats);
    if (checked.get(file) === identity) return identity;
    const cache = stats.isFile() && stats.size <= BigInt(MAX_CACHE_BYTES) ? cachePayload(readFileSync(fd)) : undefined;
    if (cache && sha256(cache.payload) === cache.digest.toString('hex')) {
      checked.set(file, identity);
      return identity;
    }
    debug('code cache %s failed its checksum: dropped', file);
    dropIfUnchanged(file, identity);
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Unlinks the cache file unless another child has replaced it meanwhile. */
function dropIfUnchanged(file: string, identity: string): void {
  try {
    if (fileIdentity(lstatSync(file, { bigint: true })) === identity) unlinkSync(file);
  } catch {
    // gone already
  }
}

/** The node flags the child runs with (its `process.execArgv`): without `setpriv` and its own arguments. */
function nodeFlagsOf(command: ChildCommand): readonly string[] {
  if (command.execPath === process.execPath) return command.execArgv;
  const end = command.execArgv.indexOf('--');
  return end === -1 ? command.execArgv : command.execArgv.slice(end + 2);
}

function sha256(data: string | Uint8Array): string {
  return builtin<typeof import('node:crypto')>('node:crypto').createHash('sha256').update(data).digest('hex');
}
