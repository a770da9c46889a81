import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChildExitedError, configure } from 'isolated-call';
import { fixtureFile, loadFixture } from './helpers/fixtures.js';
import { readWhenWritten, waitForExit } from './helpers/processes.js';
import { runNodeJson } from './helpers/scripts.js';
import { shutdownAndReset, statsOf } from './helpers/sdk-state.js';
import { caught } from './helpers/caught.js';

afterEach(shutdownAndReset);

describe('the process-wide cap on children', () => {
  it('serves a call queued at the cap as soon as a warm child of another method goes idle', async () => {
    const { LongWarm, Quick } = await loadFixture('tc39', 'cap');
    configure({ maxChildren: 4 });
    const slow = Array.from({ length: 4 }, () => new LongWarm().slow(400));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const quick = await new Quick().pid();
    // Before: served only when the warm children's keepAlive (30 s) ran out.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(quick).toEqual(expect.any(Number));
    await Promise.all(slow);
    expect(statsOf('Quick.pid')).toMatchObject({ queued: 0, running: 0 });
  });

  it('keeps the process alive while a call waits at the cap with nothing else pending', () => {
    const { json } = runNodeJson([fixtureFile('scripts/queued-call-alive.mjs')], { timeout: 30_000 });
    expect(json.tag).toBe('queued');
    expect(json.waitedMs).toBeLessThan(10_000);
  });

  it('covers the CommonJS and ESM builds loaded in one process, and shutdown() reaches both', () => {
    const { json } = runNodeJson([fixtureFile('scripts/two-builds.mjs')], { timeout: 60_000 });
    expect(json.most).toBeLessThanOrEqual(2);
    expect(json.targets).toEqual(expect.arrayContaining(['Fresh.visit', 'Warm.visit']));
    expect(json.targets.filter((t: string) => t === 'Fresh.visit')).toHaveLength(2);
    expect(json.alive).toEqual([]);
  });
});

describe('a warm child killed just before a call is sent', () => {
  it('fails the call as ChildExitedError, never a raw EPIPE, and retries it on a new child', async () => {
    const { WarmTarget } = await loadFixture('tc39', 'cap');
    const target = new WarmTarget();
    for (let i = 0; i < 10; i++) {
      const pid = await target.pid();
      process.kill(pid, 'SIGKILL');
      const next = await target.pid(); // same tick as the kill: the child's exit isn't seen yet
      expect(next).not.toBe(pid);
    }
    for (let i = 0; i < 5; i++) {
      const pid = await target.pidNoRetry();
      process.kill(pid, 'SIGKILL');
      const outcome = await caught(target.pidNoRetry());
      // The kill may land after the call went out, or before: either way it is the child's exit, typed.
      if (outcome instanceof Error) expect(outcome).toBeInstanceOf(ChildExitedError);
    }
  });
});

describe('grandchildren', () => {
  it('a timeout ends the whole process tree of the call', async () => {
    const { Grandchildren } = await loadFixture('tc39', 'orphans');
    const pidFile = join(tmpdir(), `isolated-call-grandchild-${process.pid}-${Date.now()}`);
    writeFileSync(pidFile, '');
    const error = await caught(new Grandchildren().spawnAndHang(pidFile));
    expect(error).toMatchObject({ code: 'ERR_ISOLATED_TIMEOUT' });
    const grandchild = Number(await readWhenWritten(pidFile));
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitForExit(grandchild, 5000)).toBe(true);
  });

  it('a process the method started and left running ends with its child', async () => {
    const { Grandchildren } = await loadFixture('tc39', 'orphans');
    const grandchild = await new Grandchildren().spawnAndReturn();
    expect(await waitForExit(grandchild, 5000)).toBe(true);
  });
});
