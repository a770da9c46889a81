import { readFileSync } from 'node:fs';

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
    await new Promise((r) => setTimeout(r, 20));
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
