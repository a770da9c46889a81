import { builtin } from '../shared/builtin.js';

/** How often the watchdog asks who the parent is; the bound on how long an orphan lives. */
const WATCHDOG_INTERVAL_MS = 250;

/**
 * Without `setpriv --pdeathsig`, a child learns of its parent's death when
 * its IPC channel closes, which it notices only when its event loop runs: a
 * child busy in a long synchronous loop would live on. A worker thread has an
 * event loop of its own, so it notices the re-parenting (the parent pid
 * changes) within one interval and kills the child's whole process group,
 * grandchildren included. It is unreferenced: it never keeps the child alive.
 */
export function startParentWatchdog(): void {
  const source = `
    const { workerData } = require('node:worker_threads');
    setInterval(() => {
      if (process.ppid === workerData.parent) return;
      try { process.kill(-process.pid, 'SIGKILL'); } catch {}
      process.kill(process.pid, 'SIGKILL');
    }, workerData.interval);
  `;
  // Loaded here, not at import: node:worker_threads costs ~2.4 ms of CPU, and most children never watch.
  const { Worker } = builtin<typeof import('node:worker_threads')>('node:worker_threads');
  const worker = new Worker(source, { eval: true, workerData: { parent: process.ppid, interval: WATCHDOG_INTERVAL_MS } });
  worker.unref();
}
