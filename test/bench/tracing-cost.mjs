// What the diagnostics_channel events cost a warm call: rounds of 20,000
// sequential calls of an isolate() echo with keepAlive, alternating between
// nobody subscribed, a subscriber on every call event, and (for comparison)
// an onCallEnd hook without a subscriber, which makes the child measure its
// peak RSS as a subscriber does. Reports the median round of each.
//   npm run build && node test/bench/tracing-cost.mjs
import diagnosticsChannel from 'node:diagnostics_channel';
import { configure, shutdown } from 'isolated-call';
import { echoWarm } from './fixtures/isolated.mjs';

const N = Number(process.env.BENCH_TRACING_N ?? 20_000);
const ROUNDS = Number(process.env.BENCH_TRACING_ROUNDS ?? 3);
const arg = { n: 1, s: 'hello' };

const calls = diagnosticsChannel.tracingChannel('isolated-call:call');
let events = 0;
const count = () => events++;
const handlers = { start: count, end: count, asyncStart: count, asyncEnd: count, error: count };

const modes = {
  'no subscriber': { enter() {}, leave() {} },
  'subscriber on every event': { enter: () => calls.subscribe(handlers), leave: () => calls.unsubscribe(handlers) },
  'onCallEnd, no subscriber': { enter: () => configure({ onCallEnd: () => {} }), leave: () => configure({}) },
};

async function round() {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await echoWarm(arg);
  return ((performance.now() - t0) * 1000) / N;
}

for (let i = 0; i < 1000; i++) await echoWarm(arg); // the child started, the code optimized
const results = Object.fromEntries(Object.keys(modes).map((name) => [name, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, mode] of Object.entries(modes)) {
    mode.enter();
    results[name].push(await round());
    mode.leave();
  }
}
const median = (xs) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, xs] of Object.entries(results)) {
  console.log(`${name.padEnd(28)} median ${median(xs).toFixed(1)} µs per call (rounds: ${xs.map((x) => x.toFixed(1)).join(', ')})`);
}
console.log(`call events seen: ${events} (${events / (N * ROUNDS)} per call while subscribed)`);
await shutdown();
