// Scenario "callbacks": the cost of a stub call from the child into the
// parent, against a raw IPC round trip and a warm isolated call.
import { fork } from 'node:child_process';
import { envInt, fixture, heading, median, now, ratio, shutdownSdk, table } from './lib.mjs';

const N = envInt('BENCH_CALLBACKS_N', 10_000);
const ROUNDS = envInt('BENCH_CALLBACKS_ROUNDS', 5);

/** µs per round trip of a raw IPC echo, N in a row. */
async function rawRoundTrip(serialization) {
  const child = fork(fixture('echo-child.cjs'), [], { serialization, stdio: 'inherit' });
  const t0 = now();
  await new Promise((resolve) => {
    let i = 0;
    child.on('message', () => (++i === N ? resolve() : child.send({ i })));
    child.send({ i });
  });
  const us = ((now() - t0) * 1000) / N;
  child.disconnect();
  return us;
}

async function main() {
  heading('callbacks: a stub call from the child into the parent', [
    `one warm child (keepAlive) calls a callback ${N} times in one isolated call, awaiting each answer, or not (fire and forget: all run before the call resolves)`,
    'timed: the whole isolated call, divided by the calls; the callback returns its argument, the child sums the answers and the sum is checked',
    `baseline: a raw child_process.fork 'json' IPC echo (the SDK's channel), ${N} round trips in a row; also 'advanced', and a warm isolated call (${Math.min(N, 2000)} in a row)`,
    `median of ${ROUNDS} rounds`,
  ]);
  const sdk = await import('isolated-call');
  const { callBack, echo } = await import('./fixtures/callbacks.mjs');
  const expected = (N * (N - 1)) / 2;
  await callBack(10, (i) => i, true); // the child is up and has the module
  await echo(1);
  const raw = [];
  const rawAdvanced = [];
  const awaited = [];
  const unawaited = [];
  const warm = [];
  for (let round = 0; round < ROUNDS; round++) {
    raw.push(await rawRoundTrip('json'));
    rawAdvanced.push(await rawRoundTrip('advanced'));
    let t0 = now();
    if ((await callBack(N, (i) => i, true)) !== expected) throw new Error('wrong sum');
    awaited.push(((now() - t0) * 1000) / N);
    let seen = 0;
    t0 = now();
    await callBack(N, () => seen++, false);
    if (seen !== N) throw new Error(`${seen} of ${N} fire-and-forget calls ran`);
    unawaited.push(((now() - t0) * 1000) / N);
    const calls = Math.min(N, 2000);
    t0 = now();
    for (let i = 0; i < calls; i++) await echo(i);
    warm.push(((now() - t0) * 1000) / calls);
    process.stderr.write(`round ${round + 1} done\n`);
  }
  await shutdownSdk(sdk);
  const base = median(raw);
  const row = (name, values, note) => ({ name, us: median(values), min: Math.min(...values), ratio: ratio(median(values), base), note });
  table(
    'callbacks: µs per call',
    [
      ['what', 'name'],
      ['median µs', 'us', 0],
      ['best µs', 'min', 0],
      ['ratio', 'ratio'],
      ['note', 'note'],
    ],
    [
      row('raw IPC echo, json (baseline)', raw, 'fork + process.send, no codec'),
      row('raw IPC echo, advanced', rawAdvanced, 'the same over structured clone'),
      row('callback, awaited', awaited, 'stub call -> parent runs the function -> answer -> stub resolves'),
      row('callback, not awaited', unawaited, 'stub calls queued, run in order, all before the call resolves'),
      row('warm isolated call', warm, 'for comparison: a whole call on a keepAlive child'),
    ],
  );
}

await main();
