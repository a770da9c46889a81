import { existsSync, readFileSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Is the process really there? Reads /proc/PID/stat, because a zombie (exited,
 * not yet reaped) still answers kill(pid, 0).
 */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Waits until `pid` is gone or `ms` passed; resolves whether it is gone. */
export async function waitForExit(pid: number, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await sleep(20);
  }
  return !isRunning(pid);
}

/** PIDs of live processes whose parent is `ppid`. */
export function childrenOf(ppid: number): number[] {
  let list: string;
  try {
    list = readFileSync(`/proc/${ppid}/task/${ppid}/children`, 'utf8');
  } catch {
    return [];
  }
  return list.split(/\s+/).filter(Boolean).map(Number).filter(isRunning);
}

/**
 * Waits until this process has the children `accept` wants (a number: exactly
 * that many) and returns them; throws naming the children it has after `ms`.
 */
export async function waitForChildren(accept: number | ((pids: number[]) => boolean), ms = 10_000): Promise<number[]> {
  const accepts = typeof accept === 'number' ? (pids: number[]) => pids.length === accept : accept;
  const deadline = Date.now() + ms;
  let pids = childrenOf(process.pid);
  while (!accepts(pids)) {
    if (Date.now() > deadline) throw new Error(`children of the test process are ${JSON.stringify(pids)} after ${ms} ms`);
    await sleep(20);
    pids = childrenOf(process.pid);
  }
  return pids;
}

/** Waits for a child to write `file` (generous: start-up on a busy machine) and returns its text. */
export async function readWhenWritten(file: string): Promise<string> {
  // Until it has content: a child's writeFileSync creates the file before it writes to it.
  for (let i = 0; i < 500 && !(existsSync(file) && statSync(file).size > 0); i++) await sleep(20);
  return readFileSync(file, 'utf8');
}
