import { afterEach, describe, expect, it } from 'vitest';
import { CallTimeoutError, QueueFullError } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';
import { waitForExit } from './helpers/processes.js';
import { shutdownAndReset, statsOf } from './helpers/sdk-state.js';

afterEach(shutdownAndReset);

const limits = () => loadFixture('tc39', 'queue-limits');

describe('maxQueue', () => {
  it('rejects a call at once with QueueFullError when maxQueue calls already wait', async () => {
    const { ShortQueue } = await limits();
    const method = new ShortQueue();
    const running = method.sleep(300);
    const waiting = method.sleep(0);
    const started = Date.now();
    const refused = await caught(method.sleep(0));
    expect(Date.now() - started).toBeLessThan(100);
    expect(refused).toBeInstanceOf(QueueFullError);
    expect(refused).toMatchObject({ code: 'ERR_ISOLATED_QUEUE_FULL', maxQueue: 1 });
    expect(refused.message).toContain('ShortQueue.sleep');
    expect(refused.message).toContain('maxQueue');
    expect(await running).toEqual(expect.any(Number));
    expect(await waiting).toEqual(expect.any(Number));
    expect(statsOf('ShortQueue.sleep')).toMatchObject({ calls: 3, failures: 1, queued: 0 });
  });

  it('maxQueue: 0 runs a call that finds a free child and refuses one that would wait', async () => {
    const { NoQueue } = await limits();
    const method = new NoQueue();
    const first = method.sleep(200);
    expect(await caught(method.sleep(0))).toBeInstanceOf(QueueFullError);
    expect(await first).toEqual(expect.any(Number));
    expect(await method.sleep(0)).toEqual(expect.any(Number));
  });
});

describe('attemptTimeout', () => {
  it('limits the time in a child, not in the queue: calls waiting longer than it still run', async () => {
    const { PerAttempt } = await limits();
    const method = new PerAttempt();
    // 12 calls of 300 ms, two at a time: the last ones wait about 1.5 s, longer than attemptTimeout.
    const pids = await Promise.all(Array.from({ length: 12 }, () => method.sleep(300)));
    expect(pids).toHaveLength(12);
  });

  it('ends an attempt that runs too long with CallTimeoutError naming attemptTimeout, kills its child, and does not retry it', async () => {
    const { PerAttempt } = await limits();
    const started = Date.now();
    const error = await caught(new PerAttempt().sleep(20_000));
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error.message).toContain('attemptTimeout of 1000 ms');
    expect(error.timeout).toBe(1000);
    expect(Date.now() - started).toBeLessThan(5000); // one attempt, not four
    expect(await waitForExit(error.pid, 3000)).toBe(true);
  });
});
