/**
 * Finding what a child started, wherever it went. A child leads its own
 * process group, and the group is killed with it; but a process that starts
 * a session or group of its own (`setsid`, `spawn(…, { detached: true })`,
 * a daemon) leaves the group and, once its parent is gone, the tree. What it
 * keeps is its environment: every child gets a variable naming it, which
 * whatever it starts inherits unless it is given another environment. When a
 * child ends, the processes that carry its name are killed (Linux, through
 * /proc; elsewhere only the group is). Without a native addon this is as far
 * as one can reach: docs/lifecycle.md says what still escapes.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync } from '../shared/node-fs.js';

/** The variable naming the children a process descends from: their tokens, one after another. */
export const DESCENDANT_ENV = 'ISOLATED_CALL_CHILD_OF';

const onLinux = process.platform === 'linux';

/** How one child's descendants are found. */
export interface DescendantMarker {
  /** Unique to the child; ends with `;`, so that no token is the start of another. */
  readonly token: string;
  /** The last PID the system handed out before the child started: its descendants' come after it. */
  readonly lastPidBefore: number | undefined;
  readonly startedAt: number;
  /** The child's own PID, once it has one: it must lie among the PIDs handed out since, or they can't be trusted. */
  pid?: number | undefined;
}

/** Past this age PIDs may have gone round once, so every process is looked at. */
const MAX_RANGE_AGE_MS = 10 * 60_000;
/** Up to this many PIDs handed out since the child started, each is looked up directly, without listing /proc. */
const DIRECT_LOOKUPS = 256;

let session: string | undefined;
let serial = 0;

/** A marker for a child about to start. */
export function newMarker(): DescendantMarker {
  session ??= `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  return { token: `${session}-${++serial};`, lastPidBefore: lastPid(), startedAt: performance.now() };
}

/** The variable's value for a child: a process that descends from another child keeps that one's token too. */
export function markerValue(marker: DescendantMarker, env: NodeJS.ProcessEnv): string {
  return (env[DESCENDANT_ENV] ?? '') + marker.token;
}

/**
 * SIGKILLs every process that carries one of these markers (the children
 * themselves included, if still there). Returns how many it killed. Looks
 * only at PIDs handed out since the oldest of them started, when it can.
 */
export function endDescendants(markers: readonly DescendantMarker[]): number {
  if (!onLinux || markers.length === 0) return 0;
  const tokens = markers.map((marker) => Buffer.from(marker.token, 'latin1'));
  let killed = 0;
  for (const pid of candidates(markers)) {
    if (pid === process.pid || !carriesAny(pid, tokens)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed++;
    } catch {
      // gone already, or not ours to signal
    }
  }
  return killed;
}

/** The last PID handed out in this PID namespace (/proc/loadavg's last field). */
function lastPid(): number | undefined {
  if (!onLinux) return undefined;
  try {
    const last = Number(readFileSync('/proc/loadavg', 'latin1').trim().split(' ')[4]);
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

/** PIDs handed out since the marker's child started: `[after, last]` read round pid_max; undefined when unknown. */
function rangeOf(marker: DescendantMarker, last: number | undefined): { after: number; last: number; count: number } | undefined {
  const after = marker.lastPidBefore;
  if (after === undefined || last === undefined || performance.now() - marker.startedAt > MAX_RANGE_AGE_MS) return undefined;
  const count = last >= after ? last - after : readPidMax() - after + last;
  const range = { after, last, count };
  // /proc/loadavg counts in this process's PID namespace: if the child's PID isn't in the range, /proc is another's.
  return marker.pid === undefined || inRange(marker.pid, range) ? range : undefined;
}

function inRange(pid: number, { after, last }: { after: number; last: number }): boolean {
  return last >= after ? pid > after && pid <= last : pid > after || pid <= last;
}

/** The PIDs that may be descendants of these markers' children. */
function candidates(markers: readonly DescendantMarker[]): Iterable<number> {
  const last = lastPid();
  const ranges = markers.map((marker) => rangeOf(marker, last));
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

const chunk = Buffer.allocUnsafe(64 * 1024);

/** Whether the process's environment holds one of the tokens. Unreadable (gone, another user's): no. */
function carriesAny(pid: number, tokens: readonly Buffer[]): boolean {
  let fd: number;
  try {
    fd = openSync(`/proc/${pid}/environ`, 'r');
  } catch {
    return false;
  }
  try {
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
