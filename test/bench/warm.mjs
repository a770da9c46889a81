// Scenario "warm": round trips to a child that is already running.
// Baseline: a raw JSON IPC echo. Contenders: raw 'advanced' IPC, a superjson
// string over JSON IPC, isolated-call with keepAlive, and the peers' process
// workers. Trivial method, small argument.
import { fork } from 'node:child_process';
import superjson from 'superjson';
import { envInt, fixture, heading, now, shutdownSdk, table, timingColumns, timingRow, verdict } from './lib.mjs';

const N = envInt('BENCH_WARM_N', 2000);
const WARMUP = envInt('BENCH_WARM_WARMUP', 200);
/** Calls per contender before the steady-state round: V8 has optimized both sides' code by then. */
const STEADY_AFTER = envInt('BENCH_WARM_STEADY_AFTER', 8000);
const BLOCK = 250;
const arg = { n: 1, s: 'hello' };

/** A forked echo child and a call function that awaits each reply in turn. */
function rawEcho(script, serialization, encode = (m) => m, decode = (m) => m) {
  const child = fork(fixture(script), [], { serialization, stdio: 'inherit' });
  let waiting;
  child.on('message', (m) => waiting(decode(m)));
  let id = 0;
  return {
    call: () =>
      new Promise((resolve) => {
        const message = { id: ++id, args: [arg] };
        waiting = (reply) => {
          if (reply.id !== message.id || reply.args[0].n !== arg.n) throw new Error(`${script}: wrong reply`);
          resolve();
        };
        child.send(encode(message));
      }),
    close: async () => {
      child.disconnect();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

async function contenders() {
  const sdk = await import('isolated-call');
  const { echoWarm } = await import('./fixtures/isolated.mjs');
  const { default: workerpool } = await import('workerpool');
  const { Tinypool } = await import('tinypool');
  const { Worker: JestWorker } = await import('jest-worker');
  const check = (name) => (value) => {
    if (value?.n !== arg.n) throw new Error(`${name}: wrong result`);
  };

  const wp = workerpool.pool(fixture('workerpool-worker.cjs'), { workerType: 'process', minWorkers: 1, maxWorkers: 1 });
  const tp = new Tinypool({
    filename: fixture('tinypool-worker.mjs'),
    runtime: 'child_process',
    minThreads: 1,
    maxThreads: 1,
    env: process.env,
  });
  const jw = new JestWorker(fixture('jest-worker-worker.cjs'), { numWorkers: 1, enableWorkerThreads: false, exposedMethods: ['echo'] });
  return {
    'raw JSON IPC (baseline)': rawEcho('echo-child.cjs', 'json'),
    "raw 'advanced' IPC": rawEcho('echo-child.cjs', 'advanced'),
    'superjson string over JSON IPC': rawEcho(
      'superjson-echo-child.mjs',
      'json',
      (m) => superjson.stringify(m),
      (m) => superjson.parse(m),
    ),
    'isolated-call keepAlive': { call: () => echoWarm(arg).then(check('isolated-call')), close: () => shutdownSdk(sdk) },
    'workerpool (process)': { call: () => wp.exec('echo', [arg]).then(check('workerpool')), close: () => wp.terminate() },
    'tinypool (child_process)': { call: () => tp.run(arg).then(check('tinypool')), close: () => tp.destroy() },
    'jest-worker (process)': { call: () => jw.echo(arg).then(check('jest-worker')), close: () => jw.end() },
  };
}

/** N timed calls per contender, in blocks of BLOCK, contenders rotating block by block; µs per call. */
async function measure(all, names) {
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let block = 0; samples[names[0]].length < N; block++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + block) % names.length];
      const { call } = all[name];
      const out = samples[name];
      for (let i = 0; i < BLOCK && out.length < N; i++) {
        const t0 = now();
        await call();
        out.push((now() - t0) * 1000);
      }
    }
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  return samples;
}

function report(title, names, samples) {
  const base = samples[names[0]];
  const baseMedian = base.slice().sort((a, b) => a - b)[Math.floor(base.length / 2)];
  const baseMean = base.reduce((a, b) => a + b, 0) / base.length;
  const rows = names.map((name) => {
    const row = timingRow(name, samples[name], baseMedian);
    return { ...row, meanRatio: `${(row.mean / baseMean).toFixed(2)}x` };
  });
  // The mean too: a contender with rare slow calls (a tail beyond p90) looks better by its median than its calls cost in total.
  const columns = [...timingColumns('µs', false), ['mean µs', 'mean'], ['mean ratio', 'meanRatio']];
  table(`${title}: µs per call (ratio = median / raw JSON IPC; mean ratio = mean / raw JSON IPC's mean)`, columns, rows);
  const iso = rows.find((r) => r.name.startsWith('isolated'));
  verdict(`${title}: isolated / raw JSON IPC ≤ 1.5`, iso.median / baseMedian, 1.5);
  for (const peer of rows.filter((r) => /workerpool|tinypool|jest/.test(r.name))) {
    console.log(
      `${title}: isolated-call ${iso.median < peer.median ? 'faster' : 'SLOWER'} than ${peer.name} by median (${iso.median.toFixed(0)} vs ${peer.median.toFixed(0)} µs), ` +
        `${iso.mean < peer.mean ? 'faster' : 'SLOWER'} by mean (${iso.mean.toFixed(0)} vs ${peer.mean.toFixed(0)} µs)`,
    );
  }
}

async function main() {
  heading('warm: round trip to a running child', [
    `timed: each call from the call until its result, one at a time; N=${N} per contender in blocks of ${BLOCK}, contenders rotating block by block`,
    `twice: "warm" after ${WARMUP} warm-up calls each (child start-up excluded), while V8 still tiers up the code of both processes; "warm, steady" after ${STEADY_AFTER} calls each, once it has`,
    'raw IPC: fork(echo .cjs) and child.send({ id, args }) → process.send(same) back; no framework',
    'superjson string: superjson.stringify → JSON IPC → parse + stringify in the child → JSON IPC → parse',
    'isolated-call: echoWarm(arg), keepAlive 10 min (setpriv-wrapped child, JSON IPC channel, codec scan both ways)',
    'peers: one process worker, kept; tinypool with env: process.env',
  ]);
  const all = await contenders();
  const names = Object.keys(all);
  for (const name of names) for (let i = 0; i < WARMUP; i++) await all[name].call();
  const early = await measure(all, names);
  for (const name of names) for (let i = WARMUP + N; i < STEADY_AFTER; i++) await all[name].call();
  const steady = await measure(all, names);
  for (const name of names) await all[name].close();
  report('warm', names, early);
  report('warm, steady', names, steady);
}

await main();
