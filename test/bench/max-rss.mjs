// Scenario "max-rss": how far over its maxRss budget a child growing at a
// given rate is seen before the parent ends it, and what watching costs the
// parent (CPU per call, CPU per second of a call) and a fresh call (wall clock).
import { shutdown } from 'isolated-call';
import {
  echoBudget,
  echoPlain,
  echoWarmBudget,
  echoWarmPlain,
  grow1024,
  grow256,
  sleepFar,
  sleepNear,
  sleepPlain,
} from './fixtures/max-rss.mjs';
import { envInt, heading, median, table, timingColumns, timingRow } from './lib.mjs';

const RUNS = envInt('BENCH_MAXRSS_RUNS', 5);
const FRESH = envInt('BENCH_MAXRSS_FRESH', 30);
const WARM = envInt('BENCH_MAXRSS_WARM', 2000);
const SLEEP_MS = 2000;

heading('max-rss', [
  `overshoot: a fresh child grows in 8 MB Buffers (written, so resident) at each rate until the parent ends it; ${RUNS} runs each`,
  'overshoot = peakMb (the sample that saw it over) − the budget; allowed = max(10% of the budget, 20 MB), what a child growing at 1 GB/s may reach',
  '"at once": one Buffer of the budget + 1 GB, written as fast as the child can (a few GB/s): faster than the design rate',
  `cost: the parent's CPU over ${WARM} warm echo calls with and without maxRss, and over a ${SLEEP_MS} ms call far under / near its budget`,
  `wall clock: ${FRESH} fresh echo calls with and without maxRss, alternating`,
]);

const overshootMb = (limit) => Math.max(0.1 * limit, 20);
const rows = [];
for (const [fn, limit] of [
  [grow256, 256],
  [grow1024, 1024],
]) {
  for (const rate of [100, 500, 1024, 0]) {
    const over = [];
    for (let i = 0; i < RUNS; i++) {
      try {
        await fn(limit + 1024, rate);
        over.push(Number.NaN);
      } catch (error) {
        if (error.kind !== 'rss') throw error;
        over.push(error.peakMb - limit);
      }
    }
    rows.push({
      name: `${rate === 0 ? 'at once' : `${rate} MB/s`}, budget ${limit} MB`,
      median: median(over),
      max: Math.max(...over),
      allowed: overshootMb(limit),
      ok: rate > 0 && rate <= 1024 ? (Math.max(...over) <= overshootMb(limit) ? 'yes' : 'NO') : '–',
    });
  }
}
table(
  'overshoot (MB over the budget when the parent saw it)',
  [
    ['growth', 'name'],
    ['median MB', 'median', 1],
    ['max MB', 'max', 1],
    ['allowed MB', 'allowed', 1],
    ['within', 'ok'],
  ],
  rows,
);

/** The parent's CPU time in µs while `fn` runs. */
async function cpuOf(fn) {
  const before = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

const warmRounds = { plain: [], budget: [] };
await echoWarmPlain(0);
await echoWarmBudget(0);
for (let round = 0; round < 3; round++) {
  warmRounds.plain.push(
    (await cpuOf(async () => {
      for (let i = 0; i < WARM; i++) await echoWarmPlain(i);
    })) / WARM,
  );
  warmRounds.budget.push(
    (await cpuOf(async () => {
      for (let i = 0; i < WARM; i++) await echoWarmBudget(i);
    })) / WARM,
  );
}
await sleepPlain(0);
await sleepFar(0);
await sleepNear(0);
const perSecond = (us) => (us * 1000) / SLEEP_MS;
const idle = { plain: [], far: [], near: [] };
for (let round = 0; round < 3; round++) {
  idle.plain.push(perSecond(await cpuOf(() => sleepPlain(SLEEP_MS))));
  idle.far.push(perSecond(await cpuOf(() => sleepFar(SLEEP_MS))));
  idle.near.push(perSecond(await cpuOf(() => sleepNear(SLEEP_MS))));
}
table(
  "the parent's CPU (medians of 3 rounds)",
  [
    ['what', 'name'],
    ['µs', 'us', 1],
    ['watching adds µs', 'delta', 1],
  ],
  [
    { name: 'per warm echo call, no maxRss', us: median(warmRounds.plain) },
    { name: 'per warm echo call, maxRss 1024', us: median(warmRounds.budget), delta: median(warmRounds.budget) - median(warmRounds.plain) },
    { name: 'per second of a sleeping call, no maxRss', us: median(idle.plain) },
    { name: 'per second, maxRss 1024 (far under: every 100 ms)', us: median(idle.far), delta: median(idle.far) - median(idle.plain) },
    { name: 'per second, maxRss 64 (near: a sample every 20 ms)', us: median(idle.near), delta: median(idle.near) - median(idle.plain) },
  ],
);

const fresh = { plain: [], budget: [] };
await echoPlain(0);
await echoBudget(0);
for (let i = 0; i < FRESH; i++) {
  for (const [name, fn] of [
    ['plain', echoPlain],
    ['budget', echoBudget],
  ]) {
    const t0 = performance.now();
    await fn(i);
    fresh[name].push(performance.now() - t0);
  }
}
const base = median(fresh.plain);
table('a fresh call, wall clock', timingColumns('ms'), [
  timingRow('no maxRss', fresh.plain, base, 'fork, echo, exit'),
  timingRow('maxRss 1024', fresh.budget, base, 'the same, watched, and the child reads its peak for the reply'),
]);
await shutdown();
