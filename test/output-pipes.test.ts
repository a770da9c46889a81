import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureFile, fixturePath } from './helpers/fixtures.js';
import { isRunning, waitForExit } from './helpers/processes.js';

/**
 * A method's output reaches the parent's stdout and stderr whole when they
 * are pipes (Docker, systemd, CI, `| tee`), as if the method ran in the
 * parent: a fresh child leaves only once what it wrote is flushed.
 */

const folder = mkdtempSync(join(tmpdir(), 'isolated-call-output-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const MiB = 1024 * 1024;
/** How long a reader that reads nothing may hold a child (docs/lifecycle.md). */
const OUTPUT_STALL_MS = 10_000;

interface Run {
  /** Bytes of the fill character that arrived on each stream. */
  stdout: number;
  stderr: number;
  code: number | null;
  childPid: number;
}

let runs = 0;

/**
 * Runs test/fixtures/parents/output-parent.mjs with both streams piped to
 * this test and counts what arrives. `pauseMs`: read the first chunk, then
 * nothing for that long (longer than `grace`), then the rest.
 */
async function runParent(method: string, bytes: number, fill: string, pauseMs = 0): Promise<Run> {
  const pidFile = join(folder, `pid-${++runs}`);
  const parent = spawn(
    process.execPath,
    [fixtureFile('parents/output-parent.mjs'), fixturePath('tc39', 'output'), method, String(bytes), fill, pidFile],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const counts = { stdout: 0, stderr: 0 };
  const code = fill.charCodeAt(0);
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = parent[name];
    let paused = false;
    stream.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === code) counts[name]++;
      if (pauseMs > 0 && !paused) {
        paused = true;
        stream.pause();
        setTimeout(() => stream.resume(), pauseMs);
      }
    });
  }
  const [exitCode] = await Promise.all([
    once(parent, 'exit').then(([c]) => c as number | null),
    once(parent.stdout, 'end'),
    once(parent.stderr, 'end'),
  ]);
  return { ...counts, code: exitCode, childPid: Number(readFileSync(pidFile, 'utf8')) };
}

describe('a fresh child’s output through pipes', () => {
  it('4 MiB written to stdout arrives whole', async () => {
    const run = await runParent('toStdout', 4 * MiB, 'o');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(4 * MiB);
  });

  it('16 MiB written to stderr arrives whole', async () => {
    const run = await runParent('toStderr', 16 * MiB, 'e');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(16 * MiB);
  });

  it('4 MiB written to stdout in one write arrives whole', async () => {
    const run = await runParent('toStdoutAtOnce', 4 * MiB, 'a');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(4 * MiB);
  });

  it('a reader that pauses for longer than grace still gets all of it, on both streams', async () => {
    const out = await runParent('toStdout', 4 * MiB, 'p', 2500);
    expect(out.stdout).toBe(4 * MiB);
    const err = await runParent('toStderr', 4 * MiB, 'q', 2500);
    expect(err.stderr).toBe(4 * MiB);
  });
});

describe('a warm child’s output through pipes', () => {
  it('what it wrote during its call arrives whole when the parent then ends', async () => {
    const out = await runParent('toStdoutWarm', 4 * MiB, 'w');
    expect(out.stdout).toBe(4 * MiB);
    const err = await runParent('toStderrWarm', 16 * MiB, 'v');
    expect(err.stderr).toBe(16 * MiB);
  });
});

describe('a reader that reads nothing', () => {
  it(`holds the child after its call, for at most ${OUTPUT_STALL_MS} ms without a byte moving`, async () => {
    const pidFile = join(folder, `pid-${++runs}`);
    const parent = spawn(
      process.execPath,
      [fixtureFile('parents/output-parent.mjs'), fixturePath('tc39', 'output'), 'toStdout', String(4 * MiB), 'n', pidFile],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    parent.stdout.pause(); // never read
    try {
      let childPid = 0;
      for (let i = 0; i < 1500 && childPid === 0; i++) {
        try {
          childPid = Number(readFileSync(pidFile, 'utf8'));
        } catch {
          await sleep(20);
        }
      }
      const repliedAt = Date.now();
      expect(childPid).toBeGreaterThan(0);
      // Past `grace` (1 s), the child still waits for its reader...
      await sleep(2000);
      expect(isRunning(childPid)).toBe(true);
      // ...but not for long: gone within the bound, and the parent with it.
      expect(await waitForExit(childPid, OUTPUT_STALL_MS + 5000)).toBe(true);
      expect(Date.now() - repliedAt).toBeGreaterThan(OUTPUT_STALL_MS - 1000);
      expect(await waitForExit(parent.pid!, 5000)).toBe(true);
    } finally {
      parent.stdout.destroy();
      if (parent.exitCode === null) parent.kill('SIGKILL');
    }
  }, 40_000);
});
