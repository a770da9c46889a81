// Not a scenario of index.mjs: `npm run build && node test/bench/stream-stalls.mjs`.
// Two stalls of a stream's generator (issue 19, streams): how long return()
// takes when the child ran ahead into an await that never settles (grace
// 300 ms), and how late the values of a CPU-bound generator arrive.
import { readFileSync } from 'node:fs';
import { heading, now, shutdownSdk } from './lib.mjs';

function isRunning(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  heading('stream stalls: return() on a stuck generator, values of a CPU-bound one', [
    'stuck: yields its pid, then awaits a promise nobody settles; grace 300 ms; return() 100 ms after the first value, given 5 s',
    'CPU-bound: 3 values, 1 s of busy work after each; lateness = arrival in the parent - Date.now() at the yield',
  ]);
  const sdk = await import('isolated-call');
  const { stuckAfterFirst, cpuBound } = await import('./fixtures/stream-stalls.mjs');

  const stream = stuckAfterFirst();
  const { value: pid } = await stream.next();
  await sleep(100);
  const t0 = now();
  const settled = await Promise.race([stream.return().then(() => now() - t0), sleep(5000).then(() => undefined)]);
  await sleep(200);
  console.log(
    `return(): ${settled === undefined ? 'still pending after 5000 ms' : `settled in ${settled.toFixed(0)} ms`}; ` +
      `child ${isRunning(pid) ? 'still running' : 'gone'} 200 ms later`,
  );

  const t1 = now();
  let first;
  const lateness = [];
  for await (const { yieldedAt } of cpuBound(3, 1000)) {
    first ??= now() - t1;
    lateness.push(Date.now() - yieldedAt);
  }
  console.log(
    `CPU-bound: first value ${first.toFixed(0)} ms after the first next() (start-up included); each late by ${lateness.join(', ')} ms`,
  );
  if (settled === undefined) process.exit(0); // the stuck child would hold shutdown() for ever
  await shutdownSdk(sdk);
}

await main();
