// Scenario "fresh": one call in a brand-new child process, sequentially.
// Floor: a bare fork of a minimal CommonJS script, one IPC round trip, exit.
// Contenders: isolated-call's default mode, and the peers with a new pool per
// task. Run with `--part` it measures only the floor and isolated-call and
// prints JSON: the parent runs that part once more with
// ISOLATED_CALL_NO_SETPRIV=1 (read once per process) to price the wrapper.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  Samples,
  envInt,
  fixture,
  heading,
  median,
  now,
  ratio,
  runJson,
  shutdownSdk,
  sleep,
  table,
  timingColumns,
  timingRow,
  verdict,
} from './lib.mjs';

const N = envInt('BENCH_FRESH_N', 30);
const WARMUP = envInt('BENCH_FRESH_WARMUP', 3);
const BLOCK = 3; // back-to-back calls per round
const arg = { n: 1, s: 'hello' };
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

const minimal = fixture('minimal-child.cjs');

/** fork → send → reply → exit. Returns [ms to reply, ms to exit]. */
function floorOnce(options = {}) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    let tReply = NaN;
    const child = fork(minimal, [], { stdio: 'inherit', ...options });
    child.once('message', (m) => {
      tReply = now() - t0;
      if (m.n !== arg.n) reject(new Error('floor: wrong reply'));
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve([tReply, now() - t0]) : reject(new Error(`floor child exited with ${code}`))));
    child.send(arg);
  });
}

const floorSetprivOnce = () => floorOnce({ execPath: setpriv, execArgv: ['--pdeathsig', 'KILL', '--', process.execPath] });

async function isolatedSetup() {
  const sdk = await import('isolated-call');
  const { echoFresh } = await import('./fixtures/isolated.mjs');
  let last;
  sdk.configure({ onCallEnd: (info) => (last = info) });
  const { echoFreshCjs } = createRequire(import.meta.url)('./fixtures/isolated-cjs.cjs');
  const aliveOf = (target = 'echoFresh') => sdk.stats().find((s) => s.target === target)?.alive ?? 0;
  /** One call; then waits (polling every ms) until the SDK has seen the child close. */
  async function once() {
    const t0 = now();
    const value = await echoFresh(arg);
    const tResult = now() - t0;
    if (value.n !== arg.n) throw new Error('isolated-call: wrong result');
    const info = last;
    while (aliveOf() > 0) await sleep(1);
    return { result: tResult, exit: now() - t0, startup: info.startupMs, load: info.loadMs, run: info.runMs };
  }
  /** The same with the function in a CommonJS module (as the peers' workers are). */
  async function onceCjs() {
    const t0 = now();
    const value = await echoFreshCjs(arg);
    const tResult = now() - t0;
    if (value.n !== arg.n) throw new Error('isolated-call (CommonJS): wrong result');
    while (aliveOf('echoFreshCjs') > 0) await sleep(1);
    return { result: tResult, exit: now() - t0 };
  }
  /** BLOCK calls back to back (the next starts when the previous returns); ms per call. */
  async function block() {
    while (aliveOf() > 0) await sleep(1);
    const t0 = now();
    for (let i = 0; i < BLOCK; i++) await echoFresh(arg);
    const perCall = (now() - t0) / BLOCK;
    while (aliveOf() > 0) await sleep(1);
    return perCall;
  }
  return { once, onceCjs, block, shutdown: () => shutdownSdk(sdk) };
}

async function peersSetup() {
  const { default: workerpool } = await import('workerpool');
  const { Tinypool } = await import('tinypool');
  const { Worker: JestWorker } = await import('jest-worker');
  return {
    async workerpool() {
      const t0 = now();
      const pool = workerpool.pool(fixture('workerpool-worker.cjs'), { workerType: 'process', maxWorkers: 1 });
      const value = await pool.exec('echo', [arg]);
      const tResult = now() - t0;
      await pool.terminate();
      if (value.n !== arg.n) throw new Error('workerpool: wrong result');
      return [tResult, now() - t0];
    },
    async tinypool() {
      const t0 = now();
      // tinypool forks with env = options.env only: without this its child would
      // skip NODE_EXTRA_CA_CERTS and the like, and start faster than any other.
      const pool = new Tinypool({
        filename: fixture('tinypool-worker.mjs'),
        runtime: 'child_process',
        minThreads: 1,
        maxThreads: 1,
        env: process.env,
      });
      const value = await pool.run(arg);
      const tResult = now() - t0;
      await pool.destroy();
      if (value.n !== arg.n) throw new Error('tinypool: wrong result');
      return [tResult, now() - t0];
    },
    async jestWorker() {
      const t0 = now();
      const worker = new JestWorker(fixture('jest-worker-worker.cjs'), {
        numWorkers: 1,
        enableWorkerThreads: false,
        exposedMethods: ['echo'],
      });
      const value = await worker.echo(arg);
      const tResult = now() - t0;
      await worker.end();
      if (value.n !== arg.n) throw new Error('jest-worker: wrong result');
      return [tResult, now() - t0];
    },
  };
}

/**
 * Runs every contender once per round, in an order rotated each round so no
 * contender always follows the same one; warm-up rounds are dropped.
 */
async function rounds(contenders, samples) {
  const names = Object.keys(contenders);
  for (let round = 0; round < WARMUP + N; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const result = await contenders[name]();
      if (round < WARMUP) continue;
      for (const [key, value] of Object.entries(result)) samples.add(`${name}.${key}`, value);
    }
    process.stderr.write(round + 1 < WARMUP + N ? '.' : '\n');
  }
}

/** The floor and isolated-call only: the part repeated without setpriv. */
async function part() {
  const iso = await isolatedSetup();
  const samples = new Samples();
  await rounds(
    {
      floor: async () => {
        const [result, exit] = await floorOnce();
        return { result, exit };
      },
      isolated: iso.once,
    },
    samples,
  );
  await iso.shutdown();
  return Object.fromEntries(samples.map);
}

async function main() {
  heading('fresh: one call per new child, sequential', [
    `timed: from the call until the result (and, separately, until the child has exited); N=${N} rounds after ${WARMUP} warm-up rounds, every contender once per round in rotated order`,
    'floor: child_process.fork(minimal .cjs) + one JSON IPC round trip + wait for its "exit" event',
    'isolated-call: echoFresh(arg) in default mode (keepAlive 0), defined in an ES module (.mjs); "to exit" waits until stats() shows the child closed (polled every ms)',
    "isolated-call, CommonJS module: the same function defined in a .cjs module, as the peers' workers are (workerpool, jest-worker: .cjs; tinypool: .mjs); its child never starts the ESM loader",
    `isolated-call back-to-back: ${BLOCK} calls in a row, the next starting as soon as the previous returns (child exits overlap the next call); total / ${BLOCK}`,
    'peers: a new pool per task (1 process worker), one call, then terminate()/destroy()/end(); "to exit" = until that resolves; tinypool gets env: process.env (its default child env is nearly empty)',
    'setpriv: the SDK wraps each child in `setpriv --pdeathsig KILL`; the part "floor + isolated-call" runs again in a subprocess with ISOLATED_CALL_NO_SETPRIV=1',
  ]);
  const iso = await isolatedSetup();
  const peers = await peersSetup();
  const samples = new Samples();
  const contenders = {
    floor: async () => {
      const [result, exit] = await floorOnce();
      return { result, exit };
    },
    isolated: iso.once,
    isolatedCjs: iso.onceCjs,
    block: async () => ({ perCall: await iso.block() }),
    workerpool: async () => {
      const [result, exit] = await peers.workerpool();
      return { result, exit };
    },
    tinypool: async () => {
      const [result, exit] = await peers.tinypool();
      return { result, exit };
    },
    jestWorker: async () => {
      const [result, exit] = await peers.jestWorker();
      return { result, exit };
    },
  };
  if (setpriv) {
    contenders.floorSetpriv = async () => {
      const [result, exit] = await floorSetprivOnce();
      return { result, exit };
    };
  }
  await rounds(contenders, samples);
  await iso.shutdown();

  process.stderr.write('fresh: the same without setpriv, in a subprocess\n');
  const noSetpriv = await runJson(fileURLToPath(import.meta.url), ['--part'], { env: { ISOLATED_CALL_NO_SETPRIV: '1' } });

  const floor = samples.median('floor.exit');
  const s = (k) => samples.get(k);
  const rows = [
    timingRow('floor: bare fork, to exit (baseline)', s('floor.exit'), floor, 'fork + JSON round trip + exit event'),
    timingRow('floor: bare fork, to reply', s('floor.result'), floor, 'fork + JSON round trip'),
    setpriv && timingRow('floor under setpriv, to exit', s('floorSetpriv.exit'), floor, 'setpriv --pdeathsig KILL -- node minimal.cjs'),
    timingRow('isolated-call, to result', s('isolated.result'), floor, 'call → value (child still exiting)'),
    timingRow('isolated-call, to child exit', s('isolated.exit'), floor, 'call → SDK saw the child close'),
    timingRow('isolated-call, CommonJS module, to result', s('isolatedCjs.result'), floor, 'the same, function in a .cjs module'),
    timingRow('isolated-call, CommonJS module, to child exit', s('isolatedCjs.exit'), floor, 'call → SDK saw the child close'),
    timingRow(`isolated-call back-to-back, per call`, s('block.perCall'), floor, `${BLOCK} sequential calls / ${BLOCK}`),
    timingRow('workerpool (process), to result', s('workerpool.result'), floor, 'new pool + exec'),
    timingRow('workerpool (process), to exit', s('workerpool.exit'), floor, '+ terminate()'),
    timingRow('tinypool (child_process), to result', s('tinypool.result'), floor, 'new pool + run'),
    timingRow('tinypool (child_process), to exit', s('tinypool.exit'), floor, '+ destroy()'),
    timingRow('jest-worker, to result', s('jestWorker.result'), floor, 'new Worker + call'),
    timingRow('jest-worker, to exit', s('jestWorker.exit'), floor, '+ end()'),
  ].filter(Boolean);
  table('fresh: ms per call (ratio = median / floor to exit)', timingColumns(), rows);

  const subFloor = median(noSetpriv['floor.exit']);
  table(
    'fresh: setpriv wrapper (subprocess without it has its own floor)',
    [
      ['contender', 'name'],
      ['median ms', 'median'],
      ['ratio to its floor', 'ratio'],
      ['note', 'note'],
    ],
    [
      {
        name: 'with setpriv: isolated-call to result',
        median: samples.median('isolated.result'),
        ratio: ratio(samples.median('isolated.result'), floor),
        note: 'main process',
      },
      { name: 'without setpriv: floor to exit', median: subFloor, ratio: '1.00x', note: 'subprocess, ISOLATED_CALL_NO_SETPRIV=1' },
      {
        name: 'without setpriv: isolated-call to result',
        median: median(noSetpriv['isolated.result']),
        ratio: ratio(median(noSetpriv['isolated.result']), subFloor),
        note: 'subprocess',
      },
      {
        name: 'without setpriv: isolated-call to exit',
        median: median(noSetpriv['isolated.exit']),
        ratio: ratio(median(noSetpriv['isolated.exit']), subFloor),
        note: 'subprocess',
      },
      setpriv && {
        name: 'setpriv cost on the bare floor',
        median: samples.median('floorSetpriv.exit') - floor,
        ratio: ratio(samples.median('floorSetpriv.exit'), floor),
        note: 'floor under setpriv − floor, same run',
      },
    ].filter(Boolean),
  );

  table(
    "fresh: where isolated-call's time goes (onCallEnd, medians)",
    [
      ['phase', 'name'],
      ['median ms', 'median'],
      ['share of to-result', 'share'],
    ],
    [
      ['child start-up (spawn → ready message)', 'isolated.startup'],
      ['import of the user module in the child', 'isolated.load'],
      ['method run', 'isolated.run'],
    ].map(([name, key]) => ({
      name,
      median: samples.median(key),
      share: `${((100 * samples.median(key)) / samples.median('isolated.result')).toFixed(0)}%`,
    })),
  );
  verdict('fresh to result / floor ≤ 1.10', samples.median('isolated.result') / floor, 1.1);
  verdict('fresh to result, CommonJS module / floor ≤ 1.10', samples.median('isolatedCjs.result') / floor, 1.1);
  for (const peer of ['workerpool', 'tinypool', 'jestWorker']) {
    for (const [label, key] of [
      ['ES module', 'isolated.result'],
      ['CommonJS module', 'isolatedCjs.result'],
    ]) {
      const ours = samples.median(key);
      const theirs = samples.median(`${peer}.result`);
      console.log(
        `fresh (${label}): isolated-call ${ours <= theirs ? 'no slower' : 'SLOWER'} than ${peer} (${ours.toFixed(1)} vs ${theirs.toFixed(1)} ms)`,
      );
    }
  }
  verdict('fresh back-to-back per call / floor ≤ 1.10', samples.median('block.perCall') / floor, 1.1);
}

if (process.argv.includes('--part')) {
  const result = await part();
  console.log(JSON.stringify(result));
} else {
  await main();
}
