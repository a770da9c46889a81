import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { CallAbortedError, CallTimeoutError, ChildExitedError, configure, ModuleLoadError } from 'isolated-call';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type BullmqRunner, bullmqRunner, PayloadTooLargeError, startWorker } from '../dist/bullmq.js';
import { NotDeployed } from './fixtures/build/tc39/remote-missing.js';
import { Point, RemoteWork, RenderError } from './fixtures/build/tc39/remote.js';
import { isRunning, waitForExit } from './helpers/processes.js';
import { hasRedisServer, startRedis, type TestRedis } from './helpers/redis.js';

// A newcomer's `npm test` without redis-server skips the fleet tests, saying so;
// under CI=true (.ci/run installs redis-server) a missing server fails them.
const noRedis = process.env.CI !== 'true' && !hasRedisServer();
if (noRedis)
  console.warn('test/bullmq.test.ts: redis-server is not installed: the BullMQ fleet tests are skipped (apt-get install redis-server)');

const repo = fileURLToPath(new URL('..', import.meta.url));
const appRoot = join(repo, 'test/fixtures/build/tc39');
const queueName = 'remote-work';

let redis: TestRedis;
let runner: BullmqRunner;
let scratch: string;
const workers = new Map<string, ChildProcess>();
const childPids = new Set<number>();

/** A worker "machine": its own root folder holding a copy of the app's code, and the isolated-call-worker bin. */
async function startWorkerProcess(name: string): Promise<ChildProcess> {
  const root = join(scratch, name);
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  cpSync(join(appRoot, 'remote.js'), join(root, 'remote.js'));
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(repo, join(root, 'node_modules/isolated-call'), 'dir');
  const args = ['--redis', redis.url, '--queue', queueName, '--root', root, '--concurrency', '1'];
  // Small lock and stalled-check times: a killed worker's job moves on in about a second.
  args.push('--lock-duration', '1000', '--stalled-interval', '500');
  const child = spawn(process.execPath, [join(repo, 'dist/worker-bin.cjs'), ...args], {
    env: { ...process.env, WORKER_NAME: name },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => String(chunk).includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`worker ${name} exited (${code})`)));
  });
  workers.set(name, child);
  return child;
}

/** The children a slow() call started, as `<worker>-<pid>` files in `dir`. */
async function startedIn(dir: string, count = 1): Promise<{ worker: string; pid: number }[]> {
  for (let i = 0; i < 1000; i++) {
    const files = readdirSync(dir);
    if (files.length >= count) {
      return files.map((f) => {
        const [worker, pid] = f.split('-');
        childPids.add(Number(pid));
        return { worker: worker!, pid: Number(pid) };
      });
    }
    await sleep(20);
  }
  throw new Error(`no call started in ${dir}`);
}

beforeAll(async () => {
  if (noRedis) return;
  scratch = mkdtempSync(join(tmpdir(), 'isolated-call-bullmq-'));
  redis = await startRedis();
  await Promise.all([startWorkerProcess('w1'), startWorkerProcess('w2')]);
  runner = bullmqRunner({ connection: redis.url, queue: queueName, root: appRoot });
  configure({ runner });
});

afterAll(async () => {
  if (noRedis) return;
  configure({ runner: undefined });
  await runner?.close();
  for (const child of workers.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  for (const child of workers.values()) if (child.pid) expect(await waitForExit(child.pid, 10_000)).toBe(true);
  await redis?.stop();
  // Nothing left: no worker, no job's child, no Redis.
  for (const pid of [...childPids, redis.pid]) expect(isRunning(pid)).toBe(false);
  rmSync(scratch, { recursive: true, force: true });
});

describe('the main entry never loads bullmq', () => {
  const probe = (code: string, type: 'module' | 'commonjs') =>
    execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: repo, encoding: 'utf8' }).trim();
  test('ESM and CommonJS: bullmq and ioredis stay unloaded until isolated-call/bullmq is imported', () => {
    const esm =
      "import { isModuleLoaded } from 'isolated-call'; const before = isModuleLoaded('bullmq') || isModuleLoaded('ioredis');" +
      " await import('isolated-call/bullmq'); console.log(before, isModuleLoaded('bullmq'));";
    expect(probe(esm, 'module')).toBe('false true');
    const cjs =
      "require('isolated-call'); const loaded = () => Object.keys(require.cache).some((f) => /node_modules.(bullmq|ioredis)./.test(f));" +
      " const before = loaded(); require('isolated-call/bullmq'); console.log(before, loaded());";
    expect(probe(cjs, 'commonjs')).toBe('false true');
  });
});

describe.skipIf(noRedis)('isolated methods on a BullMQ worker fleet (real Redis, two worker processes)', () => {
  test('values, this and class instances come back as from a local call', async () => {
    const work = new RemoteWork(10);
    const results = await Promise.all([1, 2, 3, 4].map((i) => work.move(new Point(i, 0), 1)));
    results.forEach((r, i) => {
      expect(r.point).toBeInstanceOf(Point);
      expect(r.point.norm()).toBeCloseTo(Math.hypot(i + 11, 10));
      expect(r.at).toEqual(new Date(0));
      expect(['w1', 'w2']).toContain(r.worker);
    });
    // Over the 1 MiB from which a value goes in a blob file: inline across machines, under maxPayloadBytes (4 MiB packed).
    const big = { text: 'é'.repeat(600_000), bytes: new Uint8Array(1_100_000).fill(7), map: new Map([[1, undefined]]) };
    expect(await work.echo(big)).toEqual(big);
    const tooBig = await work.echo(new Uint8Array(4 * 1024 * 1024)).catch((e: unknown) => e);
    expect(tooBig).toBeInstanceOf(PayloadTooLargeError);
    expect(tooBig).toMatchObject({ code: 'ERR_ISOLATED_PAYLOAD_TOO_LARGE', part: 'args', limit: 4 * 1024 * 1024 });
  });

  test('a user error arrives as its own class; a module no worker has fails with ModuleLoadError', async () => {
    const error = await new RemoteWork().render(7).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenderError);
    expect(error).toMatchObject({ page: 7, message: 'page 7 has no fonts' });
    const missing = await new NotDeployed().run().catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ModuleLoadError);
    expect(String((missing as Error).message)).toMatch(/remote-missing/);
  });

  test('timeout fires on a queued job (removed from the queue) and on a running one (its child stopped)', async () => {
    const work = new RemoteWork();
    const busy = mkdtempSync(join(scratch, 'busy-'));
    const blockers = [work.slow(busy, 3000), work.slow(busy, 3000)];
    await startedIn(busy, 2); // both workers (concurrency 1) are busy now
    const queue = new Queue(queueName, { connection: { host: '127.0.0.1', port: redis.port } });
    try {
      configure({ runner, timeout: 500 });
      const queued = await work.echo('never').catch((e: unknown) => e);
      expect(queued).toBeInstanceOf(CallTimeoutError);
      await sleep(200);
      expect(await queue.getWaitingCount()).toBe(0); // removed, not left for a worker
      configure({ runner });
      expect(await Promise.all(blockers)).toEqual(expect.arrayContaining(['w1', 'w2']));

      const running = mkdtempSync(join(scratch, 'running-'));
      configure({ runner, timeout: 3000 });
      const call = work.slow(running, 60_000).catch((e: unknown) => e);
      const [started] = await startedIn(running);
      expect(await call).toBeInstanceOf(CallTimeoutError);
      expect(await waitForExit(started!.pid, 5000)).toBe(true); // the worker was told, and stopped its child
    } finally {
      configure({ runner });
      await queue.close();
    }
  });

  test('an AbortSignal stops a running job: the call rejects at once and the child ends after the grace period', async () => {
    const dir = mkdtempSync(join(scratch, 'abort-'));
    const controller = new AbortController();
    const call = new RemoteWork().slow(dir, 60_000, controller.signal).catch((e: unknown) => e);
    const [started] = await startedIn(dir);
    controller.abort(new Error('user gave up'));
    expect(await call).toBeInstanceOf(CallAbortedError);
    expect(await waitForExit(started!.pid, 5000)).toBe(true);
  });

  test('retries are BullMQ attempts: a crashed child is run again; without retries the call gets ChildExitedError', async () => {
    const work = new RemoteWork();
    try {
      configure({ runner, retries: 1 });
      expect(['w1', 'w2']).toContain(await work.crashOnce(mkdtempSync(join(scratch, 'retry-'))));
      configure({ runner });
      const crashed = await work.crashOnce(mkdtempSync(join(scratch, 'crash-'))).catch((e: unknown) => e);
      expect(crashed).toBeInstanceOf(ChildExitedError);
      expect(crashed).toMatchObject({ code: 'ERR_ISOLATED_CHILD_EXITED', exitCode: 3 });
    } finally {
      configure({ runner });
    }
  });

  test('startWorker() from code, with keepAlive for its children: consecutive jobs share one warm child', async () => {
    const worker = await startWorker({
      connection: redis.url,
      queue: 'warm',
      root: join(scratch, 'w1'),
      concurrency: 1,
      isolated: { keepAlive: 10_000 },
    });
    const warmRunner = bullmqRunner({ connection: redis.url, queue: 'warm', root: appRoot });
    const dir = mkdtempSync(join(scratch, 'warm-'));
    try {
      configure({ runner: warmRunner });
      for (let i = 0; i < 3; i++) await new RemoteWork().slow(dir, 0);
      const [child] = await startedIn(dir);
      expect(readdirSync(dir)).toHaveLength(1); // three jobs, one child
      await worker.close();
      expect(await waitForExit(child!.pid, 5000)).toBe(true); // closing the worker ends its warm child
    } finally {
      configure({ runner });
      await warmRunner.close();
      await worker.close();
    }
  });

  test('a worker SIGKILLed mid-job: BullMQ runs the job again on the other worker, and the call gets its result', async () => {
    const dir = mkdtempSync(join(scratch, 'kill-'));
    const call = new RemoteWork().slow(dir, 1500);
    const [first] = await startedIn(dir);
    const victim = workers.get(first!.worker)!;
    victim.kill('SIGKILL');
    const other = first!.worker === 'w1' ? 'w2' : 'w1';
    expect(await call).toBe(other);
    expect(await waitForExit(first!.pid, 5000)).toBe(true); // the dead worker's child went with it
    await startedIn(dir, 2);
  });
});
