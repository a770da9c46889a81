// Scenario "payload": large arguments and results. An isolated identity call
// on a warm child against the codecs alone and against Node's own IPC, for
// 1 MB and 10 MB of ordinary structured data and a 10 MB Buffer.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import v8 from 'node:v8';
import superjson from 'superjson';
import { MB, envInt, fixture, gc, heading, median, now, shutdownSdk, table, timingColumns, timingRow, verdict } from './lib.mjs';

const N_SMALL = envInt('BENCH_PAYLOAD_N_1MB', 10);
const N_LARGE = envInt('BENCH_PAYLOAD_N_10MB', 5);
const WARMUP = envInt('BENCH_PAYLOAD_WARMUP', 1);

/** Deterministic pseudo-random numbers, so every run sends the same data. */
function rng(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
const WORDS = [
  'alpha',
  'bravo',
  'charlie',
  'delta',
  'echo',
  'foxtrot',
  'golf',
  'hotel',
  'india',
  'juliet',
  'kilo',
  'lima',
  'mike',
  'november',
];

function record(i, rand) {
  const word = () => WORDS[Math.floor(rand() * WORDS.length)];
  const r = {
    id: i,
    name: `${word()} ${word()} #${i}`,
    email: `${word()}.${i}@example.com`,
    score: Math.round(rand() * 1e6) / 100,
    active: rand() < 0.5,
    tags: [word(), word(), word()],
    address: {
      street: `${Math.floor(rand() * 999)} ${word()} street`,
      city: word(),
      zip: String(10000 + Math.floor(rand() * 89999)),
      geo: { lat: rand() * 180 - 90, lng: rand() * 360 - 180 },
    },
    history: Array.from({ length: 3 }, (_, k) => ({
      at: 1_700_000_000_000 + k * 86_400_000,
      amount: Math.round(rand() * 1e5) / 100,
      note: `${word()} ${word()}`,
    })),
  };
  if (i % 5 === 0) r.created = new Date(1_700_000_000_000 + i * 1000);
  if (i % 10 === 0)
    r.prefs = new Map([
      ['theme', word()],
      ['lang', word()],
      ['limit', Math.floor(rand() * 100)],
    ]);
  return r;
}

/** An array of records whose v8.serialize size is about `bytes`. */
function structured(bytes) {
  const rand = rng(42);
  const sample = Array.from({ length: 200 }, (_, i) => record(i, rand));
  const perRecord = v8.serialize(sample).length / sample.length;
  const rand2 = rng(42);
  return Array.from({ length: Math.round(bytes / perRecord) }, (_, i) => record(i, rand2));
}

/** A warm child that echoes over 'advanced' IPC. */
function advancedEcho() {
  const child = fork(fixture('echo-child.cjs'), [], { serialization: 'advanced', stdio: 'inherit' });
  let waiting;
  child.on('message', (m) => waiting(m));
  return {
    echo: (value) =>
      new Promise((resolve) => {
        waiting = resolve;
        child.send(value);
      }),
    close: () => {
      child.disconnect();
      return new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

async function measure(label, n, contenders, samples) {
  const names = Object.keys(contenders);
  for (const name of names) samples[`${label}|${name}`] ??= [];
  for (let round = 0; round < WARMUP + n; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length];
      gc();
      const t0 = now();
      const out = await contenders[name].run();
      const t = now() - t0;
      if (round === 0) contenders[name].check?.(out);
      if (round >= WARMUP) samples[`${label}|${name}`].push(t);
    }
    process.stderr.write('.');
  }
}

async function main() {
  heading('payload: large values through an isolated identity call on a warm child', [
    `timed: one operation from start to end, after gc() (not timed); contenders rotate each round; 1 MB: N=${N_SMALL}, 10 MB: N=${N_LARGE}, after ${WARMUP} warm-up round(s); the first result of each contender is checked (deep equality / Buffer bytes)`,
    'structured data: an array of records (strings, numbers, nested objects and arrays, a Date in 1 of 5, a Map in 1 of 10); the size is its v8.serialize length',
    'superjson / v8: stringify+parse and serialize+deserialize in this process only, no IPC',
    "raw 'advanced' IPC echo: child.send(value) to a warm fork (serialization 'advanced') that sends it back; the baseline for structured data",
    "binary baseline: v8.serialize+deserialize of the Buffer plus one small-message round trip to another warm 'advanced' child",
    'isolated-call: identityWarm(value), keepAlive, warmed up before timing',
  ]);
  const sdk = await import('isolated-call');
  const { identityWarm } = await import('./fixtures/isolated.mjs');
  const raw = advancedEcho();
  // The small round trip of the binary baseline gets a child of its own that
  // never sees a large message (and so none of the garbage one leaves).
  const small = advancedEcho();
  await identityWarm(1);
  await raw.echo(1);
  await small.echo(1);

  const samples = {};
  const sizes = {};
  const structuredContenders = (data) => ({
    'superjson stringify+parse': {
      run: () => superjson.parse(superjson.stringify(data)),
      check: (out) => assertEqual('superjson', out, data),
    },
    'v8 serialize+deserialize': { run: () => v8.deserialize(v8.serialize(data)), check: (out) => assertEqual('v8', out, data) },
    "raw 'advanced' IPC echo": { run: () => raw.echo(data), check: (out) => assertEqual('raw echo', out, data) },
    'isolated-call identity (warm)': { run: () => identityWarm(data), check: (out) => assertEqual('isolated-call', out, data) },
  });
  for (const [label, bytes, n] of [
    ['1 MB structured', MB, N_SMALL],
    ['10 MB structured', 10 * MB, N_LARGE],
  ]) {
    const data = structured(bytes);
    sizes[label] =
      `${(v8.serialize(data).length / MB).toFixed(2)} MB v8, ${(JSON.stringify(data).length / MB).toFixed(2)} MB JSON, ${data.length} records`;
    await measure(label, n, structuredContenders(data), samples);
  }

  const buffer = randomBytes(10 * MB);
  sizes['10 MB Buffer'] = `${(buffer.length / MB).toFixed(2)} MB`;
  const sameBytes = (name) => (out) => {
    if (!Buffer.isBuffer(out) || !out.equals(buffer)) throw new Error(`${name}: the Buffer did not come back byte-exact`);
  };
  await measure(
    '10 MB Buffer',
    N_LARGE,
    {
      'v8 ser+deser + small IPC round trip': {
        run: async () => {
          const out = v8.deserialize(v8.serialize(buffer));
          await small.echo({ small: 1 });
          return out;
        },
        check: sameBytes('v8'),
      },
      'v8 serialize+deserialize': { run: () => v8.deserialize(v8.serialize(buffer)), check: sameBytes('v8') },
      "raw 'advanced' IPC echo": {
        run: () => raw.echo(buffer),
        check: (out) => {
          if (!Buffer.from(out.buffer, out.byteOffset, out.byteLength).equals(buffer)) throw new Error('raw echo: bytes differ');
        },
      },
      'isolated-call identity (warm)': { run: () => identityWarm(buffer), check: sameBytes('isolated-call') },
    },
    samples,
  );
  process.stderr.write('\n');
  await raw.close();
  await small.close();
  await shutdownSdk(sdk);

  const results = {};
  for (const [label, baseName] of [
    ['1 MB structured', "raw 'advanced' IPC echo"],
    ['10 MB structured', "raw 'advanced' IPC echo"],
    ['10 MB Buffer', 'v8 ser+deser + small IPC round trip'],
  ]) {
    const keys = Object.keys(samples).filter((k) => k.startsWith(`${label}|`));
    const base = median(samples[`${label}|${baseName}`]);
    const rows = keys.map((k) => {
      const name = k.slice(label.length + 1);
      return timingRow(name === baseName ? `${name} (baseline)` : name, samples[k], base);
    });
    table(`payload ${label} (${sizes[label]}): ms per operation (ratio = median / baseline)`, timingColumns().slice(0, 5), rows);
    results[label] = median(samples[`${label}|isolated-call identity (warm)`]) / base;
  }
  console.log('note: superjson is not run on the Buffer: it cannot carry one.');
  verdict('10 MB structured: isolated / raw advanced echo ≤ 1.5', results['10 MB structured'], 1.5);
  verdict('1 MB structured: isolated / raw advanced echo ≤ 1.5 (same target applied to 1 MB)', results['1 MB structured'], 1.5);
  verdict('10 MB Buffer: isolated / (v8 ser+deser + small round trip) ≤ 3', results['10 MB Buffer'], 3);
}

function assertEqual(name, actual, expected) {
  if (!isDeepStrictEqual(actual, expected)) throw new Error(`${name}: the value did not come back equal`);
}

await main();
