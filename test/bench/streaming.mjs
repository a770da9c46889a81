// Scenario "streaming": an async generator method against one call per value,
// both on a warm child, for small records, 100 KB values (inline) and 5 MB
// values (beside the message). Every value is checked.
import { serialize } from 'node:v8';
import { envInt, heading, median, MB, now, shutdownSdk, table } from './lib.mjs';

const ROUNDS = envInt('BENCH_STREAMING_ROUNDS', 3);
const CASES = [
  {
    name: 'small records',
    bytes: 0,
    stream: envInt('BENCH_STREAMING_SMALL', 100_000),
    calls: envInt('BENCH_STREAMING_SMALL_CALLS', 5_000),
  },
  { name: '100 KB values', bytes: 100 * 1024, stream: 2_000, calls: 1_000 },
  { name: '5 MB values', bytes: 5 * MB, stream: 100, calls: 50 },
];

function check(value, i, bytes) {
  const ok = bytes === 0 ? value?.i === i : value?.byteLength === bytes && value[bytes - 1] === i % 256;
  if (!ok) throw new Error(`value ${i} is wrong`);
}

async function viaStream(streamValues, count, bytes) {
  const t0 = now();
  let i = 0;
  for await (const value of streamValues(count, bytes)) check(value, i++, bytes);
  if (i !== count) throw new Error(`stream gave ${i} of ${count}`);
  return now() - t0;
}

async function viaCalls(oneValue, count, bytes) {
  const t0 = now();
  for (let i = 0; i < count; i++) check(await oneValue(i, bytes), i, bytes);
  return now() - t0;
}

async function main() {
  heading('streaming: an async generator method against one call per value', [
    'both on a warm child (keepAlive), warmed by a first untimed run; default streamAhead (1024) and streamAheadBytes (16 MiB)',
    'stream: for await over the method, from the call until the last value; calls: await one call per value, one at a time',
    `each case ${ROUNDS} rounds, stream and calls alternating; medians; MB/s counts the v8.serialize size of each value`,
    'small records: { i, name, ok }; 100 KB values: Uint8Array inline in the message; 5 MB values: Uint8Array through a file beside it',
  ]);
  const sdk = await import('isolated-call');
  const { streamValues, oneValue } = await import('./fixtures/streaming.mjs');
  await viaStream(streamValues, 10, 0);
  await viaCalls(oneValue, 10, 0);
  const rows = [];
  for (const c of CASES) {
    const valueBytes = serialize(c.bytes === 0 ? { i: 12345, name: 'row 12345', ok: true } : new Uint8Array(c.bytes)).length;
    const streamMs = [];
    const callMs = [];
    for (let round = 0; round < ROUNDS; round++) {
      streamMs.push(await viaStream(streamValues, c.stream, c.bytes));
      callMs.push(await viaCalls(oneValue, c.calls, c.bytes));
    }
    const row = (how, count, ms) => {
      const seconds = median(ms) / 1000;
      return { name: `${c.name}: ${how}`, count, seconds, rate: count / seconds, mbs: (count * valueBytes) / MB / seconds };
    };
    const stream = row('stream', c.stream, streamMs);
    const calls = row('one call each', c.calls, callMs);
    stream.speedup = `${(stream.rate / calls.rate).toFixed(1)}x`;
    calls.speedup = '1.0x';
    rows.push(stream, calls);
    process.stderr.write(`${c.name} done\n`);
  }
  await shutdownSdk(sdk);
  table(
    'streaming throughput (warm child)',
    [
      ['values', 'name'],
      ['n', 'count', 0],
      ['median s', 'seconds', 2],
      ['values/s', 'rate', 0],
      ['MB/s', 'mbs', 1],
      ['vs calls', 'speedup'],
    ],
    rows,
  );
}

await main();
