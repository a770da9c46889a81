// Scenario "cold-deps": a fresh call whose method requires typescript (9 MB of
// CommonJS) and transpiles one line, with the children's caches on and off.
// On Node >= 22.1 a child keeps Node's compile cache of the modules it loads
// (src/child/code-cache/compile-cache.ts), on Node 20 the SDK's own cache of
// CommonJS modules (src/child/code-cache/module-cache.ts), so a fresh child
// reads typescript's compiled code instead of compiling it again. One parent process, the
// contenders rotated call by call, each child gone before the next starts (its
// cache is written as it exits), the children's temp folder the run's own.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Samples, envInt, fixture, heading, median, now, ratio, shutdownSdk, sleep, table, verdict } from './lib.mjs';

const N = envInt('BENCH_COLD_DEPS_N', 20);
const WARMUP = envInt('BENCH_COLD_DEPS_WARMUP', 2);
const SOURCE = 'const x: number = 1;';
const require = createRequire(import.meta.url);
const hasCompileCache = typeof require('node:module').enableCompileCache === 'function';

async function main() {
  heading('cold-deps: a fresh call that loads a heavy dependency, children caches on and off', [
    'timed in the parent: the call until its result, a fresh child each (keepAlive 0); the method requires typescript and transpiles one line',
    `N=${N} rounds after ${WARMUP} warm-up round(s) (the first fills the caches); each round calls every contender once, in rotated order, each child gone before the next call`,
    "cached: the default (the SDK's code cache of its child build, and the cache of the modules the call loads: Node's compile cache on Node >= 22.1, the SDK's cache of CommonJS modules before)",
    'build cache only: the cache of the modules a call loads off with NODE_DISABLE_COMPILE_CACHE=1',
    'off: ISOLATED_CALL_CODE_CACHE=off, every cache off (the baseline)',
    hasCompileCache
      ? "this Node has Node's compile cache"
      : "this Node has no compile cache (< 22.1): 'cached' uses the SDK's cache of CommonJS modules",
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'isolated-call-cold-deps-'));
  process.env.COLD_DEPS_TMPDIR = dir;
  const sdk = await import('isolated-call');
  const methods = require(fixture('cold-deps.cjs'));
  const ids = { cached: 'coldDepsCached', buildCacheOnly: 'coldDepsBuildCacheOnly', off: 'coldDepsOff' };
  const alive = (id) => sdk.stats().find((s) => s.target === id)?.alive ?? 0;
  const names = Object.keys(ids);
  const samples = new Samples();
  try {
    for (let round = 0; round < WARMUP + N; round++) {
      const perRound = {};
      for (const name of names.map((_, i) => names[(i + round) % names.length])) {
        const t0 = now();
        const out = await methods[name](SOURCE);
        perRound[name] = now() - t0;
        if (!out.includes('const x = 1')) throw new Error(`${name}: wrong output ${out}`);
        while (alive(ids[name]) > 0) await sleep(1);
      }
      process.stderr.write(round + 1 < WARMUP + N ? '.' : '\n');
      if (round < WARMUP) continue;
      for (const name of names) {
        samples.add(`${name}.ms`, perRound[name]);
        // Pair by pair (same round): machine drift between rounds cancels out.
        samples.add(`${name}.ratio`, perRound[name] / perRound.off);
      }
    }
  } finally {
    await shutdownSdk(sdk);
    rmSync(dir, { recursive: true, force: true });
  }
  const off = samples.median('off.ms');
  const rows = [
    ['cached (default)', 'cached'],
    ['build cache only', 'buildCacheOnly'],
    ['off (baseline)', 'off'],
  ].map(([label, key]) => ({
    name: label,
    n: samples.get(`${key}.ms`).length,
    median: samples.median(`${key}.ms`),
    ratio: ratio(samples.median(`${key}.ms`), off),
    paired: `${median(samples.get(`${key}.ratio`)).toFixed(2)}x`,
  }));
  table(
    `cold-deps: ms per fresh call on Node ${process.version} (medians; paired = median of the per-round ratio to off)`,
    [
      ['contender', 'name'],
      ['n', 'n', 0],
      ['median ms', 'median'],
      ['ratio', 'ratio'],
      ['paired ratio', 'paired'],
    ],
    rows,
  );
  const major = Number(process.versions.node.split('.')[0]);
  verdict(`fresh call cached / off on Node ${major} (paired)`, median(samples.get('cached.ratio')), hasCompileCache ? 0.7 : 0.75);
}

await main();
