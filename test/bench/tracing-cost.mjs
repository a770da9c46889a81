// What the diagnostics_channel events cost a warm call: 20,000 sequential
// calls of an isolate() echo with keepAlive, with nobody subscribed, then
// (when this SDK publishes them) with a subscriber on every event.
//   npm run build && node test/bench/tracing-cost.mjs
import diagnosticsChannel from 'node:diagnostics_channel';
import { shutdown } from 'isolated-call';
import { echoWarm } from './fixtures/isolated.mjs';

const N = Number(process.env.BENCH_TRACING_N ?? 20_000);
const arg = { n: 1, s: 'hello' };

async function run(label) {
  for (let i = 0; i < 500; i++) await echoWarm(arg); // warm-up: child started, code optimized
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await echoWarm(arg);
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(28)} ${N} calls in ${ms.toFixed(0)} ms: ${((ms * 1000) / N).toFixed(1)} µs per call`);
}

await run('no subscriber');
const calls = diagnosticsChannel.tracingChannel('isolated-call:call');
let events = 0;
const count = () => events++;
calls.subscribe({ start: count, end: count, asyncStart: count, asyncEnd: count, error: count });
await run('subscriber on every event');
console.log(`events seen: ${events}`);
calls.unsubscribe({ start: count, end: count, asyncStart: count, asyncEnd: count, error: count });
await run('no subscriber (again)');
await shutdown();
