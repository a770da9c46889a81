// Scenario "throughput": many calls at once with concurrency 2, in each mode,
// and the same work on the peers with 2 process workers. Every result is
// checked; the number is completed calls per second.
import { envInt, fixture, heading, now, shutdownSdk, sleep, table } from './lib.mjs';

const CALLS = envInt('BENCH_THROUGHPUT_CALLS', 1000);
const WARM_CALLS = envInt('BENCH_THROUGHPUT_WARM_CALLS', Math.max(CALLS, 10000));

const rows = [];

/** Times `body` (which makes `calls` calls and returns their results in order) and checks every result. */
async function measure(name, calls, note, body) {
  const t0 = now();
  const results = await body();
  const seconds = (now() - t0) / 1000;
  const wrong = results.filter((r, i) => r?.i !== i).length + (calls - results.length);
  if (wrong > 0) throw new Error(`${name}: ${wrong} wrong or missing results`);
  rows.push({ name, calls, seconds, rate: calls / seconds, perCall: (seconds * 1000) / calls, note });
  process.stderr.write(`${name} done\n`);
}

/** All calls started at once. */
const atOnce = (fn, calls) => () => Promise.all(Array.from({ length: calls }, (_, i) => fn({ i })));

/** Two lanes, each making its share of the calls one after another, each call on a new pool of one worker. */
function twoFreshLanes(make, calls) {
  return async () => {
    const results = [];
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < calls; i = next++) {
        const pool = make(1);
        results[i] = await pool.call({ i });
        await pool.end();
      }
    };
    await Promise.all([lane(), lane()]);
    return results;
  };
}

async function isolatedCall() {
  const sdk = await import('isolated-call');
  const { echoFresh2, echoStandby2, echoWarm2 } = await import('./fixtures/isolated.mjs');
  await measure('isolated-call: fresh (default mode)', CALLS, 'a new child per call', atOnce(echoFresh2, CALLS));
  sdk.warmUp(echoStandby2);
  await sleep(500);
  await measure('isolated-call: standby', CALLS, 'standby child + fresh children', atOnce(echoStandby2, CALLS));
  await Promise.all([echoWarm2({ i: 0 }), echoWarm2({ i: 1 })]);
  await measure('isolated-call: warm (keepAlive)', WARM_CALLS, '2 warm children', atOnce(echoWarm2, WARM_CALLS));
  await shutdownSdk(sdk);
}

/** Each peer as a pool of `n` process workers: its call and its end. */
async function peerKinds() {
  const { default: workerpool } = await import('workerpool');
  const { Tinypool } = await import('tinypool');
  const { Worker: JestWorker } = await import('jest-worker');
  return {
    workerpool: (n) => {
      const pool = workerpool.pool(fixture('workerpool-worker.cjs'), { workerType: 'process', minWorkers: n, maxWorkers: n });
      return { call: (v) => pool.exec('echo', [v]), end: () => pool.terminate() };
    },
    tinypool: (n) => {
      // tinypool forks with env = options.env only; the others pass the parent's.
      const pool = new Tinypool({
        filename: fixture('tinypool-worker.mjs'),
        runtime: 'child_process',
        minThreads: n,
        maxThreads: n,
        env: process.env,
      });
      return { call: (v) => pool.run(v), end: () => pool.destroy() };
    },
    'jest-worker': (n) => {
      const worker = new JestWorker(fixture('jest-worker-worker.cjs'), {
        numWorkers: n,
        enableWorkerThreads: false,
        exposedMethods: ['echo'],
      });
      return { call: (v) => worker.echo(v), end: () => worker.end() };
    },
  };
}

async function peers() {
  for (const [name, make] of Object.entries(await peerKinds())) {
    await measure(`${name}: fresh`, CALLS, 'a new pool of 1 worker per call, 2 lanes', twoFreshLanes(make, CALLS));
    const pool = make(2);
    await Promise.all([pool.call({ i: 0 }), pool.call({ i: 1 })]);
    await measure(`${name}: warm`, WARM_CALLS, 'one pool of 2 workers', atOnce(pool.call, WARM_CALLS));
    await pool.end();
  }
}

async function main() {
  heading('throughput: calls with concurrency 2', [
    `fresh and standby: ${CALLS} calls started at once (the method's queue holds them, 2 run at a time); warm: ${WARM_CALLS} calls the same way (warm calls are too quick for ${CALLS} to time well)`,
    'timed: from starting the first call until every promise settled; each result is checked against its argument',
    'standby: one standby child per child command, so of the 2 concurrent calls at most one skips start-up',
    'warm: keepAlive, 2 children warmed by a first round of 2 calls (not timed)',
    'peers, fresh: 2 lanes, each making its share of the calls one after another on a new pool of 1 process worker (create, call, terminate/destroy/end)',
    'peers, warm: one pool of 2 process workers for all calls, warmed by a first round of 2 calls (not timed)',
  ]);
  await isolatedCall();
  await peers();
  table(
    'throughput: concurrency 2',
    [
      ['contender', 'name'],
      ['calls', 'calls', 0],
      ['seconds', 'seconds', 2],
      ['calls/s', 'rate', 0],
      ['ms per call', 'perCall', 3],
      ['note', 'note'],
    ],
    rows,
  );
  for (const mode of ['fresh', 'warm']) {
    const ours = rows.find((r) => r.name.startsWith('isolated-call') && r.name.includes(mode));
    for (const peer of rows.filter((r) => !r.name.startsWith('isolated-call') && r.name.endsWith(mode))) {
      console.log(
        `${mode}: isolated-call ${ours.rate >= peer.rate ? 'at least as fast as' : 'SLOWER than'} ${peer.name.split(':')[0]} (${ours.rate.toFixed(0)} vs ${peer.rate.toFixed(0)} calls/s, ${(ours.rate / peer.rate).toFixed(2)}x)`,
      );
    }
  }
  console.log(`all ${rows.reduce((s, r) => s + r.calls, 0)} results correct`);
}

await main();
