import { afterAll, describe, expect, it } from 'vitest';
import { CallTimeoutError, IsolatedCallError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';
import { waitForExit } from './helpers/processes.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

afterAll(() => shutdown());

const crashes = () => loadFixture('tc39', 'crashes');

describe('the timeout option', () => {
  it('rejects with CallTimeoutError carrying the timeout, and kills the child', async () => {
    const { Crashes } = await crashes();
    const error = await caught(new Crashes().sleep(20_000));
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error).toBeInstanceOf(IsolatedCallError);
    expect(error.code).toBe('ERR_ISOLATED_TIMEOUT');
    expect(error.timeout).toBe(300);
    expect(error.message).toContain('300 ms');
    expect(error.message).toContain('Raise the timeout option');
    expect(error.pid).toEqual(expect.any(Number));
    expect(await waitForExit(error.pid, 3000)).toBe(true);
  });

  it('counts time waiting in the queue: a call queued behind a slow one times out', async () => {
    const { Crashes } = await crashes();
    const running = caught(new Crashes().sleepOneAtATime(20_000));
    const queued = caught(new Crashes().sleepOneAtATime(1));
    const [first, second] = await Promise.all([running, queued]);
    expect(first).toBeInstanceOf(CallTimeoutError);
    expect(first.pid).toEqual(expect.any(Number));
    // It would take 1 ms once started, but it waited ~500 ms for the only slot.
    expect(second).toBeInstanceOf(CallTimeoutError);
    expect(second.timeout).toBe(500);
    expect(await waitForExit(first.pid, 3000)).toBe(true);
  });

  it('kills a child stuck in synchronous code', async () => {
    const { Crashes } = await crashes();
    const error = await caught(new Crashes().spin(join(mkdtempSync(join(tmpdir(), 'ic-timeout-')), 'pid')));
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error.timeout).toBe(300);
    expect(await waitForExit(error.pid, 3000)).toBe(true);
  });
});
