import { fileURLToPath } from 'node:url';
import { ChildOutOfMemoryError, configure } from 'isolated-call';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type BullmqRunner, bullmqRunner, type IsolatedCallWorker, startWorker } from '../dist/bullmq.js';
import { MemoryBudget } from './fixtures/build/tc39/memory-budget.js';
import { caught } from './helpers/caught.js';
import { waitForExit } from './helpers/processes.js';
import { hasRedisServer, startRedis, type TestRedis } from './helpers/redis.js';

// As in bullmq.test.ts: without redis-server (and not in CI) the fleet tests are skipped, saying so.
const noRedis = process.env.CI !== 'true' && !hasRedisServer();
if (noRedis) console.warn('test/max-rss-fleet.test.ts: redis-server is not installed: skipped (apt-get install redis-server)');

const appRoot = fileURLToPath(new URL('./fixtures/build/tc39', import.meta.url));
const queue = 'max-rss';

let redis: TestRedis;
let worker: IsolatedCallWorker;
let runner: BullmqRunner;

beforeAll(async () => {
  if (noRedis) return;
  redis = await startRedis();
  // The worker's budget for its children: 96 MB.
  worker = await startWorker({ connection: redis.url, queue, root: appRoot, concurrency: 2, isolated: { maxRss: 96 } });
  runner = bullmqRunner({ connection: redis.url, queue, root: appRoot });
  configure({ runner });
});

afterAll(async () => {
  if (noRedis) return;
  configure({ runner: undefined });
  await runner.close();
  await worker.close(true);
  await redis.stop();
});

describe.skipIf(noRedis)('maxRss on a BullMQ worker', () => {
  test("the worker's budget holds a job whose caller set none, and the error arrives typed", async () => {
    const error = await caught(new MemoryBudget().lifted(300));
    expect(error).toBeInstanceOf(ChildOutOfMemoryError);
    expect(error.kind).toBe('rss');
    expect(error.limitMb).toBe(96);
    expect(error.peakMb).toBeGreaterThan(96);
    expect(await waitForExit(error.pid)).toBe(true);
  });

  test("a job can't raise it: the caller's 160 MB leaves the worker's 96 MB", async () => {
    const error = await caught(new MemoryBudget().hold(300, 500));
    expect(error).toBeInstanceOf(ChildOutOfMemoryError);
    expect(error.limitMb).toBe(96);
  });

  test('a job under both budgets succeeds', async () => {
    expect((await new MemoryBudget().hold(8)).pid).toBeGreaterThan(0);
  });
});
