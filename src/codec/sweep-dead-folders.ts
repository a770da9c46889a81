/**
 * Removes the blob folders of parents that died without running their
 * exit hook (a signal, a crash, a test runner killing its worker), so tmpfs
 * memory doesn't leak across runs. Runs once, when a parent makes its own
 * folder. Never throws: a folder it can't clear is left for the next parent.
 */
import { lstatSync, readdirSync, rmdirSync, unlinkSync } from '../shared/node-fs.js';
import { join } from 'node:path';
import { debuglog } from 'node:util';

const debug = debuglog('isolated-call');

/**
 * Sweeps `<base>/<prefix><pid>-<hex>` folders whose pid is dead, that are
 * directories (not links) owned by this uid. Their entries are unlinked, which
 * never follows a link; a subdirectory (which this SDK never makes) stops the
 * folder from being removed.
 */
export function sweepDeadFolders(base: string, prefix: string): void {
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return;
  }
  const pattern = new RegExp(`^${prefix}(\\d+)-[0-9a-f]+$`);
  const uid = process.getuid?.();
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    const folder = join(base, name);
    try {
      const stats = lstatSync(folder);
      if (!stats.isDirectory() || (uid !== undefined && stats.uid !== uid)) continue;
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        if (!entry.isDirectory()) unlinkSync(join(folder, entry.name));
      }
      rmdirSync(folder);
      debug('swept the blob folder of dead parent pid %d: %s', pid, folder);
    } catch (error) {
      debug('could not sweep %s: %s', folder, (error as Error).message);
    }
  }
}

/** ESRCH means no such process; EPERM means it exists but belongs to someone else. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
