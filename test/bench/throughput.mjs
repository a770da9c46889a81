// Scenario "throughput": many calls at once with concurrency 2, in each mode.
// Every result is checked; the number is completed calls per second.
import { envInt, heading, now, shutdownSdk, sleep, table } from './lib.mjs';

const CALLS = envInt('BENCH_THROUGHPUT_CALLS', 1000);
const WARM_CALLS = envInt('BENCH_THROUGHPUT_WARM_CALLS', Math.max(CALLS, 10000));

async function main() {
  heading('throughput: calls with concurrency 2', [
    `fresh and standby: ${CALLS} calls started at once (the method's queue holds them, 2 run at a time); warm: ${WARM_CALLS} calls the same way (warm calls are too quick for ${CALLS} to time well)`,
    'timed: from starting the first call until every promise settled; each result is checked against its argument',
    'standby: one standby child per child command, so of the 2 concurrent calls at most one skips start-up',
    'warm: keepAlive, 2 children warmed by a first round of 2 calls (not timed)',
  ]);
  const sdk = await import('isolated-call');
  const { echoFresh2, echoStandby2, echoWarm2 } = await import('./fixtures/isolated.mjs');
  const rows = [];
  async function run(name, fn, calls, note) {
    const t0 = now();
    const results = await Promise.all(Array.from({ length: calls }, (_, i) => fn({ i })));
    const seconds = (now() - t0) / 1000;
    const wrong = results.filter((r, i) => r?.i !== i).length;
    if (wrong > 0) throw new Error(`${name}: ${wrong} wrong results`);
    rows.push({ name, calls, seconds, rate: calls / seconds, perCall: (seconds * 1000) / calls, note });
    process.stderr.write(`${name} done\n`);
  }
  await run('fresh (default mode)', echoFresh2, CALLS, 'a new child per call');
  sdk.warmUp(echoStandby2);
  await sleep(500);
  await run('standby', echoStandby2, CALLS, 'standby child + fresh children');
  await Promise.all([echoWarm2({ i: 0 }), echoWarm2({ i: 1 })]);
  await run('warm (keepAlive)', echoWarm2, WARM_CALLS, '2 warm children');
  await shutdownSdk(sdk);
  table(
    'throughput: concurrency 2',
    [
      ['mode', 'name'],
      ['calls', 'calls', 0],
      ['seconds', 'seconds', 2],
      ['calls/s', 'rate', 0],
      ['ms per call', 'perCall', 3],
      ['note', 'note'],
    ],
    rows,
  );
  console.log(`all ${rows.reduce((s, r) => s + r.calls, 0)} results correct`);
}

await main();
