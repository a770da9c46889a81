// Scenario "remote" (needs redis-server; not in the default set): isolated
// calls sent to a BullMQ queue (isolated-call/bullmq) and run by
// isolated-call-worker processes on this machine.
// 1. Latency: the same echo function as a local fresh call and as a remote
//    call, sequentially; the difference is what the queue adds.
// 2. Throughput: 24 calls of a function that waits 200 ms (work that doesn't
//    need this machine's CPU, so two workers of concurrency 1 stand in for two
//    machines), all at once, with one worker and with two.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { envInt, heading, median, now, ratio, shutdownSdk, sleep, table, timingColumns, timingRow } from './lib.mjs';

const N = envInt('BENCH_REMOTE_N', 20);
const WARMUP = envInt('BENCH_REMOTE_WARMUP', 3);
const JOBS = envInt('BENCH_REMOTE_JOBS', 24);
const WORK_MS = 200;
const repo = fileURLToPath(new URL('../..', import.meta.url));
const root = fileURLToPath(new URL('./fixtures', import.meta.url));
const arg = { n: 1, s: 'hello' };

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function started(child, text) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes(text)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${child.spawnargs.join(' ')} exited (${code}): ${out}`)));
  });
}

async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await started(child, 'Ready to accept connections');
  return { child, url: `redis://127.0.0.1:${port}` };
}

async function startWorkers(url, queue, count) {
  const workers = [];
  for (let i = 0; i < count; i++) {
    const args = [`${repo}dist/worker-bin.cjs`, '--redis', url, '--queue', queue, '--root', root, '--concurrency', '1'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    await started(child, 'ready');
    workers.push(child);
  }
  return workers;
}

async function stop(children) {
  await Promise.all(
    children.map((child) => {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      return exited;
    }),
  );
}

/** Local and remote calls alternate, so a change in the machine's load hits both alike. */
async function alternating(sdk, fn, runner) {
  const local = [];
  const remote = [];
  for (let i = 0; i < WARMUP + N; i++) {
    for (const [times, options] of [
      [local, {}],
      [remote, { runner }],
    ]) {
      sdk.configure(options);
      const t0 = now();
      const value = await fn(arg);
      if (value.n !== arg.n) throw new Error('remote: wrong result');
      if (i >= WARMUP) times.push(now() - t0);
    }
    process.stderr.write('.');
  }
  sdk.configure({});
  return { local, remote };
}

async function throughput(sdk, runner, waitFor) {
  sdk.configure({ runner });
  await Promise.all(Array.from({ length: 2 }, () => waitFor(1))); // connections open, workers warm
  const t0 = now();
  await Promise.all(Array.from({ length: JOBS }, () => waitFor(WORK_MS)));
  return JOBS / ((now() - t0) / 1000);
}

async function main() {
  heading('remote: isolated calls through BullMQ (isolated-call/bullmq), workers on this machine', [
    `latency: echoFresh(arg) sequentially, N=${N} after ${WARMUP} warm-up calls, a local fresh call and a remote one (one worker, concurrency 1) in turn`,
    'remote = enqueue + a worker takes the job + a fresh child in the worker + the completed event back to the caller',
    `throughput: ${JOBS} calls of waitFor(${WORK_MS} ms) at once, workers of concurrency 1, each job in a fresh child`,
    'Redis: a redis-server of its own on loopback, persistence off',
  ]);
  const redis = await startRedis();
  const sdk = await import('isolated-call');
  const { bullmqRunner } = await import('isolated-call/bullmq');
  const { echoFresh, waitFor } = await import('./fixtures/remote-bench.mjs');
  const all = [redis.child];
  try {
    all.push(...(await startWorkers(redis.url, 'latency', 1)));
    const runner = bullmqRunner({ connection: redis.url, queue: 'latency', root });
    const { local, remote } = await alternating(sdk, echoFresh, runner);
    await runner.close();
    process.stderr.write('\n');
    const base = median(local);
    table('remote: ms per call (ratio = median / local fresh call)', timingColumns(), [
      timingRow('local fresh call (baseline)', local, base, 'fork + import + call + exit'),
      timingRow('remote call, one worker', remote, base, 'queue + worker + fresh child + completed event'),
    ]);
    console.log(`remote call adds ${(median(remote) - base).toFixed(1)} ms (median) over a local fresh call`);

    const r1 = bullmqRunner({ connection: redis.url, queue: 'one', root });
    all.push(...(await startWorkers(redis.url, 'one', 1)));
    const perSecOne = await throughput(sdk, r1, waitFor);
    await r1.close();
    const r2 = bullmqRunner({ connection: redis.url, queue: 'two', root });
    all.push(...(await startWorkers(redis.url, 'two', 2)));
    const perSecTwo = await throughput(sdk, r2, waitFor);
    await r2.close();
    sdk.configure({});
    table(
      'remote: throughput, calls per second (ratio = to one worker)',
      [
        ['workers', 'name'],
        ['calls/s', 'v'],
        ['ratio', 'r'],
      ],
      [
        { name: 'one worker', v: perSecOne, r: '1.00x' },
        { name: 'two workers', v: perSecTwo, r: ratio(perSecTwo, perSecOne) },
      ],
    );
  } finally {
    await shutdownSdk(sdk);
    await stop(all.slice(1));
    await stop([redis.child]);
    await sleep(10);
  }
}

await main();
