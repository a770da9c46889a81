import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { configure } from 'isolated-call';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type BullmqRunner, bullmqRunner, type IsolatedCallWorker, startWorker } from '../dist/bullmq.js';
import { RemoteWork } from './fixtures/build/tc39/remote.js';
import { ThrownEdges } from './fixtures/build/tc39/thrown-edges.js';
import { hasRedisServer, startRedis, type TestRedis } from './helpers/redis.js';

// Edge values through the fleet: a thrown undefined, timeouts a timer can't hold (2^31 - 1 ms at most).

const noRedis = process.env.CI !== 'true' && !hasRedisServer();
if (noRedis) console.warn('test/bullmq-edges.test.ts: redis-server is not installed: skipped (apt-get install redis-server)');

const repo = fileURLToPath(new URL('..', import.meta.url));
const appRoot = join(repo, 'test/fixtures/build/tc39');
const queueName = 'edge-values';

let redis: TestRedis;
let runner: BullmqRunner;
let worker: IsolatedCallWorker;
let scratch: string;

beforeAll(async () => {
  if (noRedis) return;
  scratch = mkdtempSync(join(tmpdir(), 'isolated-call-bullmq-edges-'));
  // The worker's machine: its own root with a copy of the app's code.
  const root = join(scratch, 'worker');
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  for (const file of ['remote.js', 'thrown-edges.js']) cpSync(join(appRoot, file), join(root, file));
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(repo, join(root, 'node_modules/isolated-call'), 'dir');
  redis = await startRedis();
  worker = await startWorker({ connection: redis.url, queue: queueName, root, concurrency: 1 });
  runner = bullmqRunner({ connection: redis.url, queue: queueName, root: appRoot });
});

afterAll(async () => {
  if (noRedis) return;
  configure({ runner: undefined, timeout: undefined });
  await runner?.close();
  await worker?.close();
  await redis?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(noRedis)('a thrown undefined', () => {
  test('a method run by a worker that throws undefined rejects the call with undefined', async () => {
    configure({ runner });
    const outcome = await new ThrownEdges().throwUndefined().then(
      (value: unknown) => ({ rejected: false, value }),
      (error: unknown) => ({ rejected: true, value: error }),
    );
    expect(outcome).toEqual({ rejected: true, value: undefined });
  });
});

describe.skipIf(noRedis)("a job's timeout", () => {
  test('a caller with timeout: Infinity (no limit) gets its result from the fleet', async () => {
    configure({ runner, timeout: Infinity });
    try {
      expect(await new RemoteWork().echo('no limit')).toBe('no limit');
    } finally {
      configure({ runner, timeout: undefined });
    }
  });

  test('a job written with plain bullmq whose timeout a timer cannot hold is refused, not aborted at once', async () => {
    const connection = { host: '127.0.0.1', port: redis.port };
    const queue = new Queue(queueName, { connection });
    const events = new QueueEvents(queueName, { connection });
    try {
      await events.waitUntilReady();
      // A job the SDK wrote, as a template: the same data with another timeout.
      configure({ runner });
      expect(await new RemoteWork().echo('template')).toBe('template');
      const [template] = await queue.getJobs(['completed']);
      const job = await queue.add('crafted', { ...template!.data, timeout: 2 ** 31 });
      const failure = await job.waitUntilFinished(events, 10_000).then(
        () => undefined,
        (error: Error) => error,
      );
      // The failure reason is the worker's JobRefusedError, packed (isolated-call/1: and V8's serialization, base64).
      const [, packed] = /^isolated-call\/1:(.*)$/.exec(failure?.message ?? '') ?? [];
      const refusal = Buffer.from(packed ?? '', 'base64').toString('latin1');
      expect(refusal).toContain('ERR_ISOLATED_JOB_REFUSED');
      expect(refusal).toMatch(/its timeout of 2147483648 ms is over 2147483647 ms, the longest a timer holds/);
    } finally {
      await events.close();
      await queue.close();
    }
  });
});
