import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { fixtureFile, fixturePath } from './helpers/fixtures.js';
import { waitForExit } from './helpers/processes.js';
import { runNode } from './helpers/scripts.js';

const script = fixtureFile('parents/payload-leak-parent.mjs');
const fixture = fixturePath('tc39', 'payload-leak');
const MiB = 1024 * 1024;

function foldersOf(pid: number): string[] {
  return readdirSync('/dev/shm')
    .filter((name) => name.startsWith(`isolated-call-${pid}-`))
    .map((name) => `/dev/shm/${name}`);
}

function filesIn(folder: string): { count: number; bytes: number } {
  // Once its parent is dead, any SDK process that starts may sweep the folder (test files run in parallel): then nothing is left.
  if (!existsSync(folder)) return { count: 0, bytes: 0 };
  const names = readdirSync(folder);
  return { count: names.length, bytes: names.reduce((sum, name) => sum + statSync(join(folder, name)).size, 0) };
}

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(20);
  }
}

describe.runIf(existsSync('/dev/shm'))('argument files and retries', () => {
  it('a child keeps the argument files while a retry may need them; all are gone once the call settles', async () => {
    const { Leak } = (await import(fixture)) as Record<string, any>;
    const marker = join(mkdtempSync(join(tmpdir(), 'crash-once-')), 'attempted');
    expect(await new Leak().crashOnce('y'.repeat(MiB), marker)).toBe(MiB);
    for (const folder of foldersOf(process.pid)) expect(readdirSync(folder)).toEqual([]);
    rmSync(marker, { force: true });
  });
});

describe.runIf(existsSync('/dev/shm'))('a parent killed by a signal mid-calls with 2 MiB arguments', () => {
  it.each(['SIGKILL', 'SIGTERM', 'SIGINT'] as const)(
    '%s: running calls left nothing; the rest is swept by the next parent',
    async (signal) => {
      const markers = mkdtempSync(join(tmpdir(), 'payload-leak-'));
      const parent = spawn(process.execPath, [script, fixture, markers, 'hold'], { stdio: ['ignore', 'inherit', 'inherit'] });
      try {
        // 8 calls, 4 children: when all 4 run, they have opened (and deleted) their arguments.
        await until(() => readdirSync(markers).length === 4, 20_000, 'four children running');
        const [folder] = foldersOf(parent.pid!);
        expect(folder).toBeDefined();
        const before = filesIn(folder!);
        expect(before).toEqual({ count: 4, bytes: 4 * 2 * MiB }); // only the 4 queued calls' arguments

        parent.kill(signal);
        await once(parent, 'exit');
        for (const pid of readdirSync(markers).map(Number)) expect(await waitForExit(pid, 5000)).toBe(true);
        console.log(
          `${signal}: left in /dev/shm after the parent died: ${filesIn(folder!).count} files, ${(filesIn(folder!).bytes / MiB).toFixed(1)} MiB (8 calls × 2 MiB made)`,
        );
        expect(filesIn(folder!).bytes).toBeLessThanOrEqual(4 * 2 * MiB);

        // A fresh parent makes its folder and sweeps those of dead parents.
        expect(runNode([script, fixture, markers, 'ping']).stdout.trim()).toBe('pong');
        expect(existsSync(folder!)).toBe(false);
        expect(foldersOf(parent.pid!)).toEqual([]);
      } finally {
        if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
        rmSync(markers, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
