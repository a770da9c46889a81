/**
 * What a fleet worker trusts (docs/scaling-out.md): anyone who can add a job
 * to the queue, with plain `bullmq` and no SDK, writes everything in it. Each
 * attack here is a job written that way; the worker must refuse it with a
 * typed error before any of its code runs. The attacked code writes a file
 * into `marks` when it runs, so "nothing ran" is checked on disk.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { Queue, QueueEvents } from 'bullmq';
import { CallTimeoutError, configure } from 'isolated-call';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bullmqRunner, JobLostError, startWorker } from '../dist/bullmq.js';
import { RemoteWork } from './fixtures/build/tc39/remote.js';
import { isRunning, waitForExit } from './helpers/processes.js';
import { hasRedisServer, startRedis, type TestRedis } from './helpers/redis.js';

const noRedis = process.env.CI !== 'true' && !hasRedisServer();
const repo = fileURLToPath(new URL('..', import.meta.url));
const appRoot = join(repo, 'test/fixtures/build/tc39');
const queueName = 'trust';

let redis: TestRedis;
let scratch: string;
let root: string;
let outside: string;
let marks: string;
let worker: ChildProcess;
let queue: Queue;
let events: QueueEvents;

/** The job data a caller of the SDK writes, for `RemoteWork.echo(value)` in lib/remote.js. */
function echoJob(value: unknown, target: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    isolatedCall: 1,
    label: 'RemoteWork.echo',
    target: { module: 'lib/remote.js', owner: 'RemoteWork', kind: 'instance', method: 'echo', ...target },
    payload: serialize({ self: undefined, args: { v: [value], t: false } }).toString('base64'),
    signals: 0,
    timeout: 0,
    maxPayloadBytes: 4 * 1024 * 1024,
  };
}

/** A job naming `target`, with `args` passed as they are. */
function jobFor(target: Record<string, unknown>, args: unknown[] = []): Record<string, unknown> {
  const data = echoJob(undefined, {});
  return { ...data, target, payload: serialize({ self: undefined, args: { v: args, t: false } }).toString('base64') };
}

interface Outcome {
  readonly state: 'completed' | 'failed' | 'still running';
  /** The worker's reply, unpacked (completed), or its failure, decoded (failed). */
  readonly reply?: Record<string, unknown>;
  readonly error?: { name: string; message: string; code?: string; refusal?: string };
}

/** Adds a job with plain bullmq and waits for what the worker made of it. */
async function submit(data: Record<string, unknown>, name = 'attack', ms = 10_000): Promise<Outcome> {
  const job = await queue.add(name, data);
  try {
    const value = await job.waitUntilFinished(events, ms);
    return { state: 'completed', reply: deserialize(Buffer.from(String(value), 'base64')) as Record<string, unknown> };
  } catch (error) {
    const reason = (error as Error).message;
    if (/timed out before finishing/.test(reason)) return { state: 'still running' };
    return { state: 'failed', error: failureOf(reason) };
  }
}

/** The SDK error a worker's failure reason holds (`isolated-call/1:` and the packed, encoded error). */
function failureOf(reason: string): Outcome['error'] {
  const prefix = 'isolated-call/1:';
  if (!reason.startsWith(prefix)) return { name: 'not an SDK failure', message: reason };
  const encoded = deserialize(Buffer.from(reason.slice(prefix.length), 'base64')) as { v: Record<string, unknown> };
  const tag = encoded.v;
  return { name: String(tag.n), message: String(tag.m), ...(tag.p as object) };
}

/** Which of the attacked pieces of code ran. */
function ran(...names: string[]): string[] {
  return names.filter((name) => existsSync(join(marks, name)));
}

/** Code that writes `marks/<name>`; its module imports `mark` (MARK_IMPORT). */
const markAt = (name: string) => `mark(process.env.MARKS + '/${name}', '');`;
const MARK_IMPORT = "import { writeFileSync as mark } from 'node:fs';\n";

function writeApp(): void {
  mkdirSync(join(root, 'lib'), { recursive: true });
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'node_modules/esbuild/lib'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(repo, join(root, 'node_modules/isolated-call'), 'dir');
  cpSync(join(appRoot, 'remote.js'), join(root, 'remote.js'));
  // A module with isolated methods (RemoteWork) and plain exports beside them.
  const plain = `
${MARK_IMPORT}
export function dangerousHelper(what) { ${markAt('dangerousHelper')} return 'ran ' + what; }
export class Admin { static async wipe() { ${markAt('wipe')} return 'wiped'; } }
`;
  writeFileSync(join(root, 'lib/remote.js'), readFileSync(join(appRoot, 'remote.js'), 'utf8') + plain);
  // No isolated method: its top level must never run.
  writeFileSync(join(root, 'scripts/side-effect.mjs'), `${MARK_IMPORT}${markAt('side-effect')}\nexport const done = true;\n`);
  // A dependency that can write any file (as esbuild's buildSync can); it even mentions the SDK.
  writeFileSync(join(root, 'node_modules/esbuild/package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(root, 'node_modules/esbuild/lib/main.js'),
    `// works with 'isolated-call': isolate(fn)\nimport { writeFileSync } from 'node:fs';\n` +
      'export function buildSync({ outfile, contents }) { writeFileSync(outfile, contents); return {}; }\n',
  );
  // Outside the root, reached through lib/linked: mentions the SDK, so only the link's target refuses it.
  mkdirSync(join(outside, 'node_modules'), { recursive: true });
  writeFileSync(join(outside, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(repo, join(outside, 'node_modules/isolated-call'), 'dir');
  writeFileSync(join(outside, 'evil.mjs'), `// 'isolated-call' isolate(\n${MARK_IMPORT}${markAt('evil')}\nexport const x = 1;\n`);
  writeFileSync(
    join(outside, 'shared.mjs'),
    "import { isolate } from 'isolated-call';\nexport const hello = isolate(async function hello(who) { return `hello ${who}`; });\n",
  );
  symlinkSync(outside, join(root, 'lib/linked'), 'dir');
}

async function startWorkerProcess(): Promise<ChildProcess> {
  const args = ['--redis', redis.url, '--queue', queueName, '--root', root, '--concurrency', '2'];
  args.push('--lock-duration', '2000', '--stalled-interval', '1000');
  const child = spawn(process.execPath, [join(repo, 'dist/worker-bin.cjs'), ...args], {
    env: { ...process.env, MARKS: marks, WORKER_NAME: 'trusting' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => String(chunk).includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`worker exited (${code})`)));
  });
  return child;
}

beforeAll(async () => {
  if (noRedis) return;
  scratch = mkdtempSync(join(tmpdir(), 'isolated-call-trust-'));
  root = join(scratch, 'root');
  outside = join(scratch, 'outside');
  marks = join(scratch, 'marks');
  mkdirSync(marks);
  writeApp();
  redis = await startRedis();
  worker = await startWorkerProcess();
  const connection = { host: '127.0.0.1', port: redis.port };
  queue = new Queue(queueName, { connection });
  events = new QueueEvents(queueName, { connection });
  await events.waitUntilReady();
});

afterAll(async () => {
  if (noRedis) return;
  await Promise.allSettled([queue?.close(), events?.close()]);
  if (worker?.pid) {
    worker.kill('SIGTERM');
    if (!(await waitForExit(worker.pid, 5000))) worker.kill('SIGKILL'); // a job it still runs: its children die with it
    expect(await waitForExit(worker.pid, 5000)).toBe(true);
  }
  await redis?.stop();
  expect(isRunning(redis.pid)).toBe(false);
  rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(noRedis)('what a fleet worker trusts: jobs written with plain bullmq', () => {
  test('within a module of isolated methods, only they run: no plain export, undecorated method, call or constructor', async () => {
    const ok = await submit(echoJob('fine'));
    expect(ok).toMatchObject({ state: 'completed', reply: { type: 'result', value: { v: 'fine' } } });

    const attacks = [
      { module: 'lib/remote.js', owner: 'dangerousHelper', kind: 'function' },
      { module: 'lib/remote.js', owner: 'Admin', kind: 'static', method: 'wipe' },
      { module: 'lib/remote.js', owner: 'dangerousHelper', kind: 'static', method: 'call' },
      { module: 'lib/remote.js', owner: 'dangerousHelper', kind: 'static', method: 'constructor' },
      { module: 'lib/remote.js', owner: 'RemoteWork', kind: 'instance', method: 'constructor' },
      { module: 'lib/remote.js', owner: 'RemoteWork', kind: 'static', method: 'call' },
    ];
    const outcomes = await Promise.all(attacks.map((target) => submit(jobFor(target, [null, "return 'from the job'"]))));
    for (const outcome of outcomes) {
      expect(outcome.state).toBe('failed');
      expect(outcome.error).toMatchObject({ name: 'JobRefusedError', code: 'ERR_ISOLATED_JOB_REFUSED', refusal: 'target' });
    }
    expect(ran('dangerousHelper', 'wipe')).toEqual([]);
  });

  test('a module under node_modules is refused, even one that mentions the SDK: what it would write never exists', async () => {
    const pwn = join(root, 'lib/pwn.mjs');
    const write = await submit(
      jobFor({ module: 'node_modules/esbuild/lib/main.js', owner: 'buildSync', kind: 'function' }, [
        { outfile: pwn, contents: `${MARK_IMPORT}${markAt('pwn')}\nexport const id = 1;\n` },
      ]),
    );
    expect(write.error).toMatchObject({ code: 'ERR_ISOLATED_JOB_REFUSED', refusal: 'module' });
    expect(write.error?.message).toMatch(/node_modules/);
    expect(existsSync(pwn)).toBe(false);
    const run = await submit(jobFor({ module: 'lib/pwn.mjs', owner: 'id', kind: 'function' }));
    expect(run.error).toMatchObject({ name: 'ModuleLoadError', code: 'ERR_ISOLATED_MODULE_LOAD' });
    expect(ran('pwn')).toEqual([]);
  });

  test('a symlink that leaves the root is refused, and so is a module without isolated methods: none of their code runs', async () => {
    const linked = await submit(jobFor({ module: 'lib/linked/evil.mjs', owner: 'x', kind: 'function' }));
    expect(linked.error).toMatchObject({ code: 'ERR_ISOLATED_JOB_REFUSED', refusal: 'module' });
    expect(linked.error?.message).toMatch(/outside the root/);
    const script = await submit(jobFor({ module: 'scripts/side-effect.mjs', owner: 'done', kind: 'function' }));
    expect(script.error).toMatchObject({ code: 'ERR_ISOLATED_JOB_REFUSED', refusal: 'module' });
    expect(script.error?.message).toMatch(/defines no isolated method/);
    expect(ran('evil', 'side-effect')).toEqual([]);
  });

  test('allowLinksTo names where a link may lead: an isolated module there runs', async () => {
    const linkedQueue = 'trust-linked';
    const allowed = await startWorker({ connection: redis.url, queue: linkedQueue, root, concurrency: 1, allowLinksTo: [outside] });
    const producer = new Queue(linkedQueue, { connection: { host: '127.0.0.1', port: redis.port } });
    const linkedEvents = new QueueEvents(linkedQueue, { connection: { host: '127.0.0.1', port: redis.port } });
    try {
      await linkedEvents.waitUntilReady();
      const job = await producer.add('hello', jobFor({ module: 'lib/linked/shared.mjs', owner: 'hello', kind: 'function' }, ['fleet']));
      const reply = deserialize(Buffer.from(String(await job.waitUntilFinished(linkedEvents, 10_000)), 'base64'));
      expect(reply).toMatchObject({ type: 'result', value: { v: 'hello fleet' } });
      // The same job on a worker without the setting.
      const refused = await submit(jobFor({ module: 'lib/linked/shared.mjs', owner: 'hello', kind: 'function' }, ['fleet']));
      expect(refused.error).toMatchObject({ code: 'ERR_ISOLATED_JOB_REFUSED', refusal: 'module' });
    } finally {
      await Promise.allSettled([producer.close(), linkedEvents.close()]);
      await allowed.close();
    }
  });

  test('every field of a job is bounded, and a field the SDK never writes is refused', async () => {
    const huge = await submit({ ...echoJob('x'), extra: 'x'.repeat(32 * 1024 * 1024) });
    expect(huge.error).toMatchObject({ code: 'ERR_ISOLATED_JOB_REFUSED', refusal: 'size' });
    const longName = await submit(echoJob('x'), 'n'.repeat(2 * 1024 * 1024));
    expect(longName.error).toMatchObject({ code: 'ERR_ISOLATED_JOB_REFUSED', refusal: 'size' });
    const unknown = await submit({ ...echoJob('x'), note: 'hi' });
    expect(unknown.error).toMatchObject({ code: 'ERR_ISOLATED_JOB_REFUSED', refusal: 'shape' });
    const unknownInTarget = await submit(echoJob('x', { extra: 1 }));
    expect(unknownInTarget.error).toMatchObject({ code: 'ERR_ISOLATED_JOB_REFUSED', refusal: 'shape' });
    const packedBeside = await submit({
      ...echoJob('x'),
      payload: serialize({ self: undefined, args: { v: ['x'], t: false, f: ['/etc/passwd'] } }).toString('base64'),
    });
    expect(packedBeside.error).toMatchObject({ code: 'ERR_ISOLATED_JOB_REFUSED', refusal: 'shape' });
  });

  test('a sparse array of length 2^32 - 1 in the payload fails its call at once instead of keeping a child busy', async () => {
    const sparse: unknown[] = [];
    sparse.length = 2 ** 32 - 1;
    // An escaped record (a tag the codec writes for a record with a key like its marker) whose entries are that array.
    const data = {
      ...echoJob(undefined),
      timeout: 20_000, // the worker would stop it after this
      payload: serialize({ self: undefined, args: { v: [{ '\u0000ic': 'o', v: sparse }], t: true } }).toString('base64'),
    };
    const started = Date.now();
    const outcome = await submit(data, 'sparse', 5000);
    expect(outcome).toMatchObject({ state: 'completed', reply: { type: 'error', phase: 'decode' } });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('Redis restarted empty mid-call: the call rejects with JobLostError, with or without a timeout', async () => {
    const runner = bullmqRunner({ connection: redis.url, queue: queueName, root: appRoot });
    const dir = mkdtempSync(join(scratch, 'lost-'));
    try {
      configure({ runner });
      const untimed = new RemoteWork().slow(dir, 6000).catch((e: unknown) => e);
      configure({ runner, timeout: 25_000 });
      const timed = new RemoteWork().slow(dir, 6000).catch((e: unknown) => e);
      configure({ runner });
      for (let i = 0; readdirSync(dir).length < 2; i++) {
        if (i > 500) throw new Error('the calls never started');
        await sleep(20);
      }
      process.kill(redis.pid, 'SIGKILL');
      await sleep(500);
      redis = await startRedis(redis.port); // empty: no persistence
      const back = Date.now();
      const [first, second] = await Promise.all([untimed, timed]);
      expect(first).toBeInstanceOf(JobLostError);
      expect(first).toMatchObject({ code: 'ERR_ISOLATED_JOB_LOST' });
      expect(second).toBeInstanceOf(JobLostError);
      expect(second).not.toBeInstanceOf(CallTimeoutError);
      expect(Date.now() - back).toBeLessThan(15_000);
    } finally {
      configure({ runner: undefined });
      await runner.close();
    }
  }, 40_000);
});
