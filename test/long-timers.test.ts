import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { CallAbortedError, configure, InvalidOptionError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';
import { isRunning, waitForExit } from './helpers/processes.js';

// Node's timers hold at most 2^31 - 1 ms; a longer delay, Infinity included, fires after 1 ms.

const dir = mkdtempSync(join(tmpdir(), 'ic-long-timers-'));
afterAll(async () => {
  await shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const timers = async () => new (await loadFixture('tc39', 'long-timers')).LongTimers();

describe('Infinity means no limit, with real children', () => {
  it('timeout: Infinity lets a call of 400 ms finish', async () => {
    expect(await (await timers()).noTimeout(400)).toEqual(expect.any(Number));
  });

  it('attemptTimeout: Infinity lets a call of 400 ms finish', async () => {
    expect(await (await timers()).noAttemptTimeout(400)).toEqual(expect.any(Number));
  });

  it('keepAlive: Infinity keeps the child for every later call', async () => {
    const t = await timers();
    const pids: number[] = [];
    for (let i = 0; i < 3; i++) {
      pids.push(await t.foreverWarm());
      await sleep(100); // idle between calls: a timer that fired at once would have ended the child
    }
    expect(new Set(pids).size).toBe(1);
    expect(isRunning(pids[0]!)).toBe(true);
    await shutdown(); // ends it, as for any warm child
    expect(await waitForExit(pids[0]!, 5000)).toBe(true);
  });

  it('grace: Infinity lets an aborted child finish its clean-up, however long', async () => {
    const marker = join(dir, 'cleaned-up');
    const controller = new AbortController();
    const call = (await timers()).slowCleanup(controller.signal, 600, marker);
    await sleep(300); // the child is running the method
    controller.abort();
    expect(await caught(call)).toBeInstanceOf(CallAbortedError);
    for (let i = 0; i < 100 && !existsSync(marker); i++) await sleep(50);
    const pid = Number(readFileSync(marker, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(await waitForExit(pid, 3000)).toBe(true);
  });
});

describe('a finite value a timer cannot hold is refused', () => {
  it.each(['timeout', 'attemptTimeout', 'grace', 'keepAlive'])('configure({ %s: 2 ** 31 }) throws InvalidOptionError', (name) => {
    const error = (() => {
      try {
        configure({ [name]: 2 ** 31 });
      } catch (thrown) {
        return thrown;
      }
    })() as InvalidOptionError;
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.message).toMatch(/use Infinity for no limit/);
  });
});
