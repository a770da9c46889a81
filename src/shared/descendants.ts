/**
 * Finding what a child started, wherever it went. A child leads its own
 * process group, and the group is killed with it; but a process that starts
 * a session or group of its own (`setsid`, `spawn(…, { detached: true })`,
 * a daemon) leaves the group and, once its parent is gone, the tree. What it
 * keeps is its environment: every child gets a variable with a token of its
 * own, which whatever it starts inherits unless given another environment.
 * When a child ends, the processes that carry its token are killed (Linux,
 * through /proc; elsewhere only the group is): by the child itself as it
 * exits, then by the parent once the child is gone, and at the parent's
 * exit. docs/lifecycle.md says what still escapes.
 */
import { descendantTokens } from './environment.js';
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from './node-fs.js';

const onLinux = process.platform === 'linux';

/** How one child's descendants are found (the parent's side). */
export interface DescendantMarker {
  /** Unique to the child; ends with `;`, so that it never matches the start of a longer token. */
  readonly token: string;
  readonly startedAt: number;
  /** The child's PID, once it has one: its descendants' PIDs were handed out after it. */
  pid?: number | undefined;
}

/** What to look for: a token, and the PID after which its processes' PIDs were handed out. */
interface Search {
  readonly token: string;
  readonly after: number;
  readonly ageMs: number;
}

/** Past this age PIDs may have gone round once, so every process is looked at. */
const MAX_RANGE_AGE_MS = 10 * 60_000;
/** Up to this many PIDs handed out since, each is looked up directly, without listing /proc. */
const DIRECT_LOOKUPS = 256;

let session: string | undefined;
let serial = 0;

/** A marker for a child about to start. */
export function newMarker(): DescendantMarker {
  session ??= `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  return { token: `${session}-${++serial};`, startedAt: performance.now() };
}

/** The variable's value for a child: a process that descends from another child keeps that one's token too. */
export function markerValue(marker: DescendantMarker, env: NodeJS.ProcessEnv): string {
  return (descendantTokens(env) ?? '') + marker.token;
}

/**
 * The parent's side: SIGKILLs every process that carries one of these
 * markers' tokens. Returns how many it killed.
 */
export function endDescendants(markers: readonly DescendantMarker[]): number {
  const now = performance.now();
  const searches: Search[] = [];
  // A child that never started (no PID) has started nothing.
  for (const { token, pid, startedAt } of markers) if (pid !== undefined) searches.push({ token, after: pid, ageMs: now - startedAt });
  return onLinux && searches.length > 0 ? sweep(searches, new Set([process.pid])) : 0;
}

/** In a child: its own token, the last in its variable (the others are its ancestors'). Read at start, before user code can change it. */
export function ownToken(): string | undefined {
  const value = descendantTokens();
  return value?.endsWith(';') ? value.slice(value.lastIndexOf(';', value.length - 2) + 1) : undefined;
}

/**
 * The child's side, as it exits: SIGKILLs what it started that carries its
 * own `token`, its own threads aside. Returns how many it killed.
 */
export function endOwnDescendants(token: string | undefined): number {
  if (!onLinux || token === undefined) return 0;
  let ownThreads: Set<number>;
  try {
    ownThreads = new Set(readdirSync('/proc/self/task').map(Number));
  } catch {
    return 0;
  }
  return sweep([{ token, after: process.pid, ageMs: process.uptime() * 1000 }], ownThreads);
}

function sweep(searches: readonly Search[], spare: ReadonlySet<number>): number {
  const tokens = searches.map((search) => Buffer.from(search.token, 'latin1'));
  let killed = 0;
  for (const pid of candidates(searches)) {
    if (spare.has(pid) || !carriesAny(pid, tokens)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed++;
    } catch {
      // gone already, or not ours to signal
    }
  }
  return killed;
}

const small = Buffer.allocUnsafe(256);

/** The last PID handed out in this PID namespace (/proc/loadavg's last field). */
function lastPid(): number | undefined {
  try {
    const fd = openSync('/proc/loadavg', 'r');
    let length: number;
    try {
      length = readSync(fd, small, 0, small.length, null);
    } finally {
      closeSync(fd);
    }
    const last = Number(small.toString('latin1', 0, length).trim().split(' ')[4]);
    return Number.isSafeInteger(last) && last > 0 ? last : undefined;
  } catch {
    return undefined;
  }
}

let pidMax: number | undefined;

function readPidMax(): number {
  try {
    pidMax ??= Number(readFileSync('/proc/sys/kernel/pid_max', 'latin1').trim()) || 4_194_304;
  } catch {
    pidMax = 4_194_304;
  }
  return pidMax;
}

/** PIDs handed out after the search's, up to `last`, read round pid_max; undefined when unknown (every process then). */
function rangeOf({ after, ageMs }: Search, last: number | undefined): { after: number; last: number; count: number } | undefined {
  if (last === undefined || !procIsOurs() || ageMs > MAX_RANGE_AGE_MS) return undefined;
  const count = last >= after ? last - after : readPidMax() - after + last;
  return { after, last, count };
}

function inRange(pid: number, { after, last }: { after: number; last: number }): boolean {
  return last >= after ? pid > after && pid <= last : pid > after || pid <= last;
}

let procMatches: boolean | undefined;

/** Whether /proc shows this process's PID namespace, in which /proc/loadavg counts and PIDs are given. */
export function procIsOurs(): boolean {
  if (procMatches === undefined) {
    try {
      procMatches = readlinkSync('/proc/self') === String(process.pid);
    } catch {
      procMatches = false;
    }
  }
  return procMatches;
}

/** The PIDs that may carry the tokens. */
function candidates(searches: readonly Search[]): Iterable<number> {
  const last = lastPid();
  const ranges = searches.map((search) => rangeOf(search, last));
  if (ranges.every((range) => range !== undefined) && ranges.reduce((sum, range) => sum + range.count, 0) <= DIRECT_LOOKUPS) {
    const pids = new Set<number>();
    for (const { after, count } of ranges) for (let i = 1; i <= count; i++) pids.add(((after + i - 1) % readPidMax()) + 1);
    return pids;
  }
  const inAnyRange = (pid: number) => ranges.some((range) => range === undefined || inRange(pid, range));
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  return names.map(Number).filter((pid) => Number.isSafeInteger(pid) && pid > 0 && inAnyRange(pid));
}

let chunk: Buffer | undefined;

/** Whether the process's environment holds one of the tokens. Unreadable (gone, another user's): no. */
function carriesAny(pid: number, tokens: readonly Buffer[]): boolean {
  let fd: number;
  try {
    fd = openSync(`/proc/${pid}/environ`, 'r');
  } catch {
    return false;
  }
  try {
    chunk ??= Buffer.allocUnsafe(64 * 1024);
    let text = chunk.subarray(0, readSync(fd, chunk, 0, chunk.length, null));
    // A larger environment is read whole (rare: 64 KiB of variables).
    if (text.length === chunk.length) text = Buffer.concat([text, readFileSync(fd)]);
    return tokens.some((token) => text.includes(token));
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}
