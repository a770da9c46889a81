import { spawn, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { fixtureFile, fixturePath, loadFixture } from './helpers/fixtures.js';
import { isRunning, waitForExit } from './helpers/processes.js';

/**
 * Whatever a method starts ends with its child, even a process that left the
 * child's process group (`setsid`, `detached: true`, a daemon's double fork):
 * found by the variable every child passes on (docs/lifecycle.md).
 */

interface Escapees {
  child: number;
  setsid: number;
  detached: number;
  daemon: number;
}

/** Kept until the end, killed then whatever happened: a failing test leaves nothing behind. */
const started = new Set<number>();
afterAll(async () => {
  await shutdown();
  for (const pid of started) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
});

/** The default grace period is 1 s; allow generously more on a busy machine. */
const GONE_WITHIN = 5000;

const descendants = async () => new (await loadFixture('tc39', 'descendants')).Descendants();

function escapeesOf(escapees: Escapees): number[] {
  const pids = [escapees.setsid, escapees.detached, escapees.daemon];
  for (const pid of pids) started.add(pid);
  return pids;
}

async function expectAllGone(pids: number[]): Promise<void> {
  const gone = await Promise.all(pids.map((pid) => waitForExit(pid, GONE_WITHIN)));
  expect(Object.fromEntries(pids.map((pid, i) => [pid, gone[i]]))).toEqual(Object.fromEntries(pids.map((pid) => [pid, true])));
}

/** A process of the test's own (not started by any child), in a session of its own like the escapees. */
function ownSleeper(): number {
  const sleeper = spawn('setsid', ['sleep', '300'], { stdio: 'ignore' });
  sleeper.unref();
  started.add(sleeper.pid!);
  return sleeper.pid!;
}

describe('processes a method leaves outside its child’s process group', () => {
  it('end when a fresh child ends after its call, and the parent’s own processes stay', async () => {
    const own = ownSleeper();
    const escapees = await (await descendants()).leave();
    const pids = escapeesOf(escapees);
    expect(pids.every((pid) => pid > 0)).toBe(true);
    await expectAllGone([escapees.child, ...pids]);
    expect(isRunning(own)).toBe(true);
  });

  it('end with a child killed at its timeout', async () => {
    let escapees: Escapees | undefined;
    const error = await caught(
      (await descendants()).leaveAndHang((started: Escapees) => {
        escapees = started;
      }),
    );
    expect(error).toMatchObject({ code: 'ERR_ISOLATED_TIMEOUT' });
    expect(escapees).toBeDefined();
    await expectAllGone(escapeesOf(escapees!));
  });

  it('end with a child that dies of a signal', async () => {
    let escapees: Escapees | undefined;
    const error = await caught(
      (await descendants()).leaveAndDie((started: Escapees) => {
        escapees = started;
      }),
    );
    expect(error).toMatchObject({ code: 'ERR_ISOLATED_CHILD_EXITED', signal: 'SIGKILL' });
    await expectAllGone(escapeesOf(escapees!));
  });

  it('end with a warm child when it is retired, not before; another child’s end leaves them alone', async () => {
    const target = await descendants();
    const escapees = await target.leaveWarm();
    const pids = escapeesOf(escapees);
    // Another child ends (a fresh call) while the warm one idles: its escapees are not that child's.
    await expectAllGone(escapeesOf(await target.leave()));
    expect(pids.map(isRunning)).toEqual([true, true, true]);
    await shutdown();
    await expectAllGone([escapees.child, ...pids]);
  });

  it('end when the parent exits with the warm child still there', async () => {
    const run = spawnSync(process.execPath, [fixtureFile('parents/descendants-parent.mjs'), fixturePath('tc39', 'descendants')], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    const escapees = JSON.parse(run.stdout.trim()) as Escapees;
    await expectAllGone([escapees.child, ...escapeesOf(escapees)]);
  });

  it('a process given an environment without the marker is not found (the documented gap)', async () => {
    const escapees = await (await descendants()).leaveWithoutMarker();
    const pids = escapeesOf(escapees);
    await waitForExit(escapees.child, GONE_WITHIN);
    // `setsid` and `detached` left the group and the marker: they run on. (The shell's daemon too.)
    expect(isRunning(escapees.setsid)).toBe(true);
    expect(isRunning(escapees.detached)).toBe(true);
    for (const pid of pids) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  });
});
