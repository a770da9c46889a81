// Scenario "standby": calls spaced further apart than a child's start-up, so
// each finds its standby child ready. Baseline: the fresh floor (bare fork of
// a minimal script, one IPC round trip, exit), measured in between.
import { fork } from 'node:child_process';
import { envInt, fixture, heading, median, now, shutdownSdk, sleep, table, timingColumns, timingRow, verdict } from './lib.mjs';

const N = envInt('BENCH_STANDBY_N', 20);
const WARMUP = envInt('BENCH_STANDBY_WARMUP', 2);
const GAP = envInt('BENCH_STANDBY_GAP_MS', 400);
const arg = { n: 1, s: 'hello' };

function floorOnce() {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = fork(fixture('minimal-child.cjs'), [], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', () => resolve(now() - t0));
    child.send(arg);
  });
}

async function main() {
  heading('standby: calls spaced apart, each served by a pre-started child', [
    `timed: echoStandby(arg) from the call until its result; N=${N} after ${WARMUP} warm-up calls (warmUp() first)`,
    `spacing: after each call ${GAP} ms pass (the next standby child starts in that time), then one floor run, then ${Math.round(GAP / 4)} ms, then the next call`,
    'floor: bare fork of a minimal .cjs + one JSON IPC round trip + its exit, measured once per round',
    "the standby's own start-up is not timed (it happens between calls); its child exits after the call as in default mode",
  ]);
  const sdk = await import('isolated-call');
  const { echoStandby } = await import('./fixtures/isolated.mjs');
  let last;
  sdk.configure({ onCallEnd: (info) => (last = info) });
  sdk.warmUp(echoStandby);
  await sleep(GAP * 2);
  const calls = [];
  const floors = [];
  const loads = [];
  const startups = [];
  for (let i = 0; i < WARMUP + N; i++) {
    const t0 = now();
    const value = await echoStandby(arg);
    const t = now() - t0;
    if (value.n !== arg.n) throw new Error('standby: wrong result');
    if (i >= WARMUP) {
      calls.push(t);
      loads.push(last.loadMs);
      startups.push(last.startupMs);
    }
    await sleep(GAP);
    const f = await floorOnce();
    if (i >= WARMUP) floors.push(f);
    await sleep(Math.round(GAP / 4));
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  await shutdownSdk(sdk);

  const floor = median(floors);
  table('standby: ms per call (ratio = median / fresh floor)', timingColumns(), [
    timingRow('fresh floor (baseline)', floors, floor, 'fork + round trip + exit'),
    timingRow('isolated-call standby, to result', calls, floor, 'call → value'),
    timingRow('  of which: user module import in the child', loads, floor, 'onCallEnd loadMs'),
    timingRow('  of which: start-up waited for', startups, floor, 'onCallEnd startupMs (0 = standby was ready)'),
  ]);
  verdict('standby / floor ≤ 0.25', median(calls) / floor, 0.25);
}

await main();
