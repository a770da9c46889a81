// Scenario "memory": the parent's RSS and open handles over many isolated
// calls that each load typescript in their (fresh) child. The heavy module
// must never reach the parent, and nothing may pile up call after call.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MB, envInt, fixture, gc, heading, now, runJson, table, verdict } from './lib.mjs';

const CALLS = envInt('BENCH_MEMORY_CALLS', 40);

/** RSS split into private (anonymous) and file-backed pages (Linux); file pages are the node binary's and libraries' code, shared and reclaimable. */
function rssParts() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) / 1024;
    return { anon: kb('RssAnon'), file: kb('RssFile') };
  } catch {
    return { anon: Number.NaN, file: Number.NaN };
  }
}

function snapshot(label, t0) {
  gc();
  const { anon, file } = rssParts();
  return {
    name: label,
    rss: process.memoryUsage.rss() / MB,
    anon,
    file,
    heap: process.memoryUsage().heapUsed / MB,
    // Where RSS growth could sit besides the live heap: V8's committed heap, and memory outside it (Buffers, native).
    heapTotal: process.memoryUsage().heapTotal / MB,
    external: process.memoryUsage().external / MB,
    handles: process._getActiveHandles().length,
    listeners: process.eventNames().reduce((sum, name) => sum + process.listenerCount(name), 0),
    elapsed: (now() - t0) / 1000,
  };
}

const checkpointsFor = (calls) => new Set([1, Math.ceil(calls / 4), Math.ceil(calls / 2), calls]);

/**
 * The floor, run in a process of its own (`--floor`): the same calls as
 * bare forks of a script doing the same work, with the SDK's stdio and
 * process group, no SDK. Prints its snapshots as JSON.
 */
async function floor() {
  const t0 = now();
  const rows = [snapshot('before the first call', t0)];
  const checkpoints = checkpointsFor(CALLS);
  for (let i = 1; i <= CALLS; i++) {
    await new Promise((resolve, reject) => {
      const child = fork(fixture('typescript-child.cjs'), [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], detached: true });
      child.stderr.resume();
      child.once('message', (out) => {
        if (out.trim() !== `const value${i} = ${i};`) reject(new Error(`memory floor: wrong result ${JSON.stringify(out)}`));
      });
      child.once('error', reject);
      child.once('close', resolve);
      child.send(`const value${i}: number = ${i};`);
    });
    if (checkpoints.has(i)) rows.push(snapshot(`after call ${i}`, t0));
  }
  console.log(JSON.stringify(rows));
}

async function main() {
  heading('memory: parent RSS over isolated calls that load typescript', [
    `${CALLS} sequential calls of transpile(source) in default mode (fresh child each; the child imports typescript); set BENCH_MEMORY_CALLS=500 for the full target`,
    'after each snapshot point: wait until the child has closed, gc() twice, then read process.memoryUsage.rss(), process._getActiveHandles().length and the number of listeners on process',
    'floor: the same calls as bare forks of a .cjs doing the same work (typescript, one transpile), same stdio and process group, no SDK, in a subprocess; its RSS grows too',
    'the target compares the RSS after the last call with the RSS after the first; on Linux the RSS is also split into private pages (RssAnon) and file-backed ones (RssFile: the code of node and its libraries, shared with other processes and reclaimable)',
  ]);
  const sdk = await import('isolated-call');
  const { transpile } = await import('./fixtures/isolated.mjs');
  const settle = async () => {
    while (sdk.stats().some((s) => s.alive > 0)) await new Promise((r) => setTimeout(r, 5));
  };
  const t0 = now();
  const rows = [snapshot('before the first call (SDK imported)', t0)];
  const checkpoints = checkpointsFor(CALLS);
  for (let i = 1; i <= CALLS; i++) {
    const out = await transpile(`const value${i}: number = ${i};`);
    if (out.trim() !== `const value${i} = ${i};`) throw new Error(`memory: wrong result ${JSON.stringify(out)}`);
    if (checkpoints.has(i)) {
      await settle();
      rows.push(snapshot(`after call ${i}`, t0));
    }
    process.stderr.write(i % 10 === 0 ? String(i) : '.');
  }
  process.stderr.write('\n');
  const typescriptInParent = Object.keys((await import('node:module')).createRequire(import.meta.url).cache).some((k) =>
    k.includes('/typescript/'),
  );
  process.stderr.write('memory: the floor, bare forks doing the same work, in a subprocess\n');
  const floorRows = await runJson(fileURLToPath(import.meta.url), ['--floor'], { flags: ['--expose-gc'] });
  const columns = [
    ['point', 'name'],
    ['RSS MB', 'rss', 1],
    ['of it private MB', 'anon', 1],
    ['of it file-backed MB', 'file', 1],
    ['heap used MB', 'heap', 1],
    ['heap committed MB', 'heapTotal', 1],
    ['external MB', 'external', 1],
    ['active handles', 'handles', 0],
    ['process listeners', 'listeners', 0],
    ['elapsed s', 'elapsed', 1],
  ];
  table('memory: parent after N calls', columns, rows);
  table('memory: the floor, a bare fork per call doing the same work (no SDK), in a process of its own', columns, floorRows);
  console.log(`typescript loaded in the parent: ${typescriptInParent ? 'YES' : 'no'}`);
  const first = rows[1];
  const last = rows.at(-1);
  verdict(`RSS after call ${CALLS} − after call 1 ≤ 5 MB`, last.rss - first.rss, 5);
  console.log(
    `of that growth: private (RssAnon) ${(last.anon - first.anon).toFixed(2)} MB, file-backed (RssFile: code of node and its libraries) ${(last.file - first.file).toFixed(2)} MB`,
  );
  // File-backed pages are the binary's code, faulted in as more of it runs: shared, and the kernel takes them back under pressure.
  if (Number.isFinite(last.anon)) verdict(`private RSS (RssAnon) after call ${CALLS} − after call 1 ≤ 5 MB`, last.anon - first.anon, 5);
  const floorGrowth = floorRows.at(-1).rss - floorRows[1].rss;
  console.log(
    `the floor's RSS growth over the same calls: ${floorGrowth.toFixed(2)} MB (private ${(floorRows.at(-1).anon - floorRows[1].anon).toFixed(2)}, file-backed ${(floorRows.at(-1).file - floorRows[1].file).toFixed(2)})`,
  );
  verdict(`RSS growth − the floor's, after call ${CALLS} ≤ 5 MB`, last.rss - first.rss - floorGrowth, 5);
  verdict('active handles: growth after call 1 ≤ 0', last.handles - first.handles, 0);
  verdict('process listeners: growth after call 1 ≤ 0', last.listeners - first.listeners, 0);
}

if (process.argv.includes('--floor')) await floor();
else await main();
