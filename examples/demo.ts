// npm run demo
// npm run demo -- --svg docs/demo.svg   (also draws the table as a chart, into that file)
//
// The article's experiment (delete a module from the cache: nothing is freed;
// run it in a child process: everything is) redone with typescript as the
// heavy dependency. Each row runs in its own fresh `node --expose-gc` process,
// so one measurement can't leak into the next.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { fileURLToPath } from 'node:url';
import { rssChart } from './demo/chart.js';
import type { Row } from './demo/work.js';

const svgFlag = process.argv.indexOf('--svg');
const svgPath = svgFlag === -1 ? undefined : process.argv[svgFlag + 1];
if (svgFlag !== -1 && !svgPath) throw new Error('--svg needs a file to write: npm run demo -- --svg docs/demo.svg');

const rows = [
  { label: "(a) require('typescript') in the parent", script: 'direct.ts' },
  { label: '(b) (a), then delete from require.cache + gc', script: 'de-import.ts' },
  { label: '(c) the same work through @Isolated()', script: 'isolated.ts' },
];
const tsx = import.meta.resolve('tsx'); // each script is TypeScript too

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const results = rows.map(({ label, script }) => {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', tsx, fileURLToPath(new URL(`demo/${script}`, import.meta.url))], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`${script} failed (status ${run.status}, signal ${run.signal})`);
  return { label, row: JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Row };
});

const header = ['', 'start', 'after work', 'after cleanup', 'kept', 'still loaded'];
const table = results.map(({ label, row }) => [
  label,
  mb(row.start),
  mb(row.afterWork),
  mb(row.afterCleanup),
  `${row.afterCleanup >= row.start ? '+' : ''}${mb(row.afterCleanup - row.start)}`,
  row.loadedAfterCleanup ? 'yes' : 'no',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');

console.log('Parent RSS in MB, transpiling 20 × a 200-function file with typescript');
console.log(line(header));
for (const r of table) console.log(line(r));
console.log(`Child's peak RSS for (c), from onCallEnd: ${mb(results[2]!.row.childPeak ?? 0)} MB (given back to the OS when it exited)`);

if (svgPath) {
  const tsVersion = createRequire(import.meta.url)('typescript/package.json').version;
  writeFileSync(
    svgPath,
    rssChart(results, `npm run demo -- --svg: Node ${process.version}, typescript ${tsVersion}, ${platform()} ${arch()}`),
  );
  console.log(`chart written to ${svgPath}`);
}
