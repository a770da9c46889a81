// Scenario "fresh-tsx": one fresh call to a TypeScript module's method, from
// a parent that runs compiled JavaScript, one under tsx, and one that
// compiles TypeScript in-process without a loader flag (a vitest or jest
// worker, here tsx's register() API); the last two also with
// ISOLATED_CALL_TS_LOADER=tsx, the child loader the SDK used before its own.
// Each round starts one parent process per contender (rotated order); a
// parent makes CALLS calls, the first dropped (the parent's own first-call
// work), so every figure is a fresh child's call as a user's second call sees it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Samples, envInt, fixture, heading, median, ratio, runJson, table, verdict } from './lib.mjs';

const N = envInt('BENCH_FRESH_TSX_N', 10);
const WARMUP = envInt('BENCH_FRESH_TSX_WARMUP', 1);
const CALLS = 3;
const require = createRequire(import.meta.url);
const repo = fileURLToPath(new URL('../..', import.meta.url));

/** A project in a temporary folder: the fixture module as .ts and compiled, isolated-call and the packages linked in. */
function project() {
  const dir = mkdtempSync(join(tmpdir(), 'isolated-call-fresh-tsx-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repo, join(dir, 'node_modules', 'isolated-call'), 'dir');
  for (const name of ['typescript', 'tsx', 'esbuild']) {
    symlinkSync(dirname(require.resolve(`${name}/package.json`)), join(dir, 'node_modules', name), 'dir');
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'es2022', module: 'nodenext', strict: true } }));
  mkdirSync(join(dir, 'build'));
  for (const file of ['work.ts', 'parent.mjs']) {
    writeFileSync(join(dir, file), readFileSync(fixture(`fresh-tsx/${file}`)));
  }
  const ts = require('typescript');
  const source = readFileSync(join(dir, 'work.ts'), 'utf8');
  const out = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
    fileName: 'work.ts',
  });
  writeFileSync(join(dir, 'build', 'work.js'), out.outputText);
  writeFileSync(join(dir, 'build', 'package.json'), JSON.stringify({ type: 'module' }));
  return dir;
}

async function main() {
  heading('fresh-tsx: a fresh call to a TypeScript module, compiled against tsx and a test worker', [
    `timed in the parent: the call until its result, a fresh child each (keepAlive 0); the method imports typescript (9 MB of CommonJS) and transpiles one line`,
    `N=${N} rounds after ${WARMUP} warm-up round(s); each round starts one parent process per contender, in rotated order; each parent makes ${CALLS} calls and the first is dropped`,
    'compiled: `node parent.mjs build/work.js` (tsc output, no loader anywhere)',
    "tsx: `node --import tsx parent.mjs work.ts`; the child gets the SDK's own TypeScript loader in place of tsx",
    "worker: `node parent.mjs work.ts --api` (tsx's register() API in-process, no loader flag: as a vitest or jest worker); the child gets the SDK's loader",
    '… (before): the same with ISOLATED_CALL_TS_LOADER=tsx, the child loader of earlier releases (`--import tsx`)',
  ]);
  const dir = project();
  const parent = join(dir, 'parent.mjs');
  const contenders = {
    compiled: { args: [join(dir, 'build', 'work.js'), '--import'], flags: [] },
    tsx: { args: [join(dir, 'work.ts'), '--import'], flags: ['--import', 'tsx'] },
    worker: { args: [join(dir, 'work.ts'), '--api'], flags: [] },
    tsxBefore: { args: [join(dir, 'work.ts'), '--import'], flags: ['--import', 'tsx'], env: { ISOLATED_CALL_TS_LOADER: 'tsx' } },
    workerBefore: { args: [join(dir, 'work.ts'), '--api'], flags: [], env: { ISOLATED_CALL_TS_LOADER: 'tsx' } },
  };
  const samples = new Samples();
  const names = Object.keys(contenders);
  try {
    for (let round = 0; round < WARMUP + N; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length]);
      const perRound = {};
      for (const name of order) {
        const { args, flags, env } = contenders[name];
        const calls = await runJson(parent, [...args, String(CALLS)], { flags, env, cwd: dir }).catch((error) => {
          throw new Error(`${name}: ${error.message}`);
        });
        perRound[name] = calls.slice(1);
      }
      process.stderr.write(round + 1 < WARMUP + N ? '.' : '\n');
      if (round < WARMUP) continue;
      for (const [name, calls] of Object.entries(perRound)) {
        for (const call of calls) for (const [key, value] of Object.entries(call)) samples.add(`${name}.${key}`, value);
        // The ratio pair by pair (same round, same call index): machine drift between rounds cancels out.
        for (const [i, call] of calls.entries()) samples.add(`${name}.ratio`, call.ms / perRound.compiled[i].ms);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const compiled = samples.median('compiled.ms');
  const rows = [
    ['compiled JavaScript (baseline)', 'compiled'],
    ['tsx parent, SDK loader in the child', 'tsx'],
    ['test-worker parent (no flag), SDK loader', 'worker'],
    ['tsx parent, tsx in the child (before)', 'tsxBefore'],
    ['test-worker parent, tsx in the child (before)', 'workerBefore'],
  ].map(([label, key]) => ({
    name: label,
    n: samples.get(`${key}.ms`).length,
    median: samples.median(`${key}.ms`),
    ratio: ratio(samples.median(`${key}.ms`), compiled),
    paired: `${median(samples.get(`${key}.ratio`)).toFixed(2)}x`,
    startup: samples.median(`${key}.startup`),
    load: samples.median(`${key}.load`),
    run: samples.median(`${key}.run`),
  }));
  table(
    'fresh-tsx: ms per fresh call (medians; paired = median of the per-round ratio to compiled)',
    [
      ['parent → child', 'name'],
      ['n', 'n', 0],
      ['median ms', 'median'],
      ['ratio', 'ratio'],
      ['paired ratio', 'paired'],
      ['child start-up', 'startup'],
      ['module import', 'load'],
      ['method run', 'run'],
    ],
    rows,
  );
  verdict('fresh call under tsx / compiled ≤ 1.5 (paired)', median(samples.get('tsx.ratio')), 1.5);
  verdict('fresh call from a test worker / compiled ≤ 1.5 (paired)', median(samples.get('worker.ratio')), 1.5);
}

await main();
