// `npm run bench [-- scenario ...]`: runs every scenario (or those named),
// each in a fresh Node process so none inherits another's children, heap or
// SDK state. Scenarios print their method and tables; see docs/benchmarks.md.
import { spawn } from 'node:child_process';
import { benchDir, machine, now } from './lib.mjs';

const SCENARIOS = [
  'footprint',
  'fresh',
  'fresh-tsx',
  'cold-deps',
  'standby',
  'warm',
  'payload',
  'memory',
  'throughput',
  'callbacks',
  'streaming',
  'max-rss',
];
// Only these call gc(). A V8 flag in a parent reaches every child it forks (the SDK's and the
// peers' alike, except workerpool's, which drops them) and costs each about 7 ms of start-up:
// Node's built-in modules come compiled for V8's default flags only (docs/pitfalls.md).
const NEEDS_GC = ['payload', 'memory'];
// Run only when named (`npm run bench -- remote`): they need more than Node (remote: redis-server).
const OPTIONAL = ['remote'];

const picked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = picked.filter((name) => !SCENARIOS.includes(name) && !OPTIONAL.includes(name));
if (unknown.length > 0) {
  console.error(`unknown scenario ${unknown.join(', ')}; pick from: ${[...SCENARIOS, ...OPTIONAL].join(', ')}`);
  process.exit(2);
}
const run = picked.length > 0 ? picked : SCENARIOS;

const m = machine();
console.log('# isolated-call benchmarks\n');
console.log(`node ${m.node} · ${m.cpus} CPUs (${m.cpu}) · load average ${m.load} · ${new Date().toISOString()}`);
console.log('every table: medians of the same run on this machine; ratios are to the baseline of that table');
if (process.env.NODE_EXTRA_CA_CERTS) {
  console.log(
    'note: NODE_EXTRA_CA_CERTS is set: every Node start (floor, SDK and peers alike) loads those certificates, which makes each fresh-process number larger; ratios stay comparable',
  );
}

const t0 = now();
let failed = 0;
for (const name of run) {
  const started = now();
  const code = await new Promise((resolve) => {
    const flags = NEEDS_GC.includes(name) ? ['--expose-gc'] : [];
    const child = spawn(process.execPath, [...flags, `${benchDir}${name}.mjs`], { stdio: 'inherit' });
    child.on('exit', (c, signal) => resolve(c ?? signal));
  });
  if (code !== 0) {
    failed++;
    console.error(`scenario ${name} failed (${code})`);
  }
  console.log(`\n(${name}: ${((now() - started) / 1000).toFixed(1)} s)`);
}
console.log(`\ntotal ${((now() - t0) / 1000).toFixed(0)} s${failed ? `, ${failed} scenario(s) failed` : ''}`);
process.exitCode = failed ? 1 : 0;
