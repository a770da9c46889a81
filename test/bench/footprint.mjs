// Scenario "footprint": what importing isolated-call costs a parent process:
// RSS after the import and the start-up time of a whole `node -e` process,
// against a bare `node -e ""` and against node:child_process (and superjson)
// alone. Every sample is a fresh subprocess; contenders interleave.
import { spawnSync } from 'node:child_process';
import { MB, benchDir, envInt, heading, median, now, table, timingColumns, timingRow, verdict } from './lib.mjs';

const N = envInt('BENCH_FOOTPRINT_N', 10);
const cwd = new URL('../..', `file://${benchDir}`).pathname; // the package root: 'isolated-call' resolves to itself

const contenders = [
  ['bare node (baseline)', ''],
  ["import('node:child_process')", "import('node:child_process')"],
  ["require('node:child_process')", "require('node:child_process')"],
  ["import('node:child_process') + import('superjson')", "Promise.all([import('node:child_process'), import('superjson')])"],
  ["import('isolated-call')", "import('isolated-call')"],
  ["require('isolated-call')", "require('isolated-call')"],
];

/** Code that loads `load`, then prints RSS once the load has settled. */
const withRss = (load) => `Promise.resolve(${load || 'undefined'}).then(() => process.stdout.write(String(process.memoryUsage.rss())))`;

function run(code) {
  const t0 = now();
  const r = spawnSync(process.execPath, ['-e', code], { cwd, encoding: 'utf8' });
  const ms = now() - t0;
  if (r.status !== 0) throw new Error(`node -e ${JSON.stringify(code)} failed: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

async function main() {
  heading('footprint: the parent process importing isolated-call', [
    `start-up: wall time of spawnSync(node, ['-e', CODE]) until exit, CODE exactly as in the first column; N=${N} per contender plus 1 warm-up, interleaved`,
    'RSS: a second set of runs where CODE then prints process.memoryUsage.rss() once the import has settled',
    'ratios and "added" are against bare node in the same run',
  ]);
  const times = contenders.map(() => []);
  const rss = contenders.map(() => []);
  for (let round = 0; round < N + 1; round++) {
    contenders.forEach(([, code], i) => {
      const t = run(code).ms;
      const r = Number(run(withRss(code)).stdout);
      if (round > 0) {
        times[i].push(t);
        rss[i].push(r / MB);
      }
    });
    process.stderr.write('.');
  }
  process.stderr.write('\n');

  const baseT = median(times[0]);
  const baseR = median(rss[0]);
  table(
    'footprint: start-up of a whole `node -e` process, ms',
    [...timingColumns('ms', false), ['added ms', (r) => r.median - baseT]],
    contenders.map(([name], i) => timingRow(name, times[i], baseT)),
  );
  table(
    'footprint: parent RSS after the import, MB',
    [
      ['contender', 'name'],
      ['n', 'n', 0],
      ['median MB', 'median'],
      ['p90 MB', 'p90'],
      ['added MB', 'added'],
      ['ratio', 'ratio'],
    ],
    contenders.map(([name], i) => ({ ...timingRow(name, rss[i], baseR), added: median(rss[i]) - baseR })),
  );
  const iso = contenders.findIndex(([name]) => name === "import('isolated-call')");
  const isoReq = contenders.findIndex(([name]) => name === "require('isolated-call')");
  verdict('import adds ≤ 3 MB RSS', median(rss[iso]) - baseR, 3);
  verdict('require adds ≤ 3 MB RSS', median(rss[isoReq]) - baseR, 3);
  verdict('import adds ≤ 15 ms start-up', median(times[iso]) - baseT, 15);
  verdict('require adds ≤ 15 ms start-up', median(times[isoReq]) - baseT, 15);
}

await main();
