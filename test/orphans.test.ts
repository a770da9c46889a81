import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { fixtureFile, fixturePath, loadFixture } from './helpers/fixtures.js';
import { isRunning, waitForExit } from './helpers/processes.js';
import { statsOf } from './helpers/sdk-state.js';

/** Where the abort case's child writes its report: never a system path (it writes `<file>.tmp` and renames it onto `file`). */
const dir = mkdtempSync(join(tmpdir(), 'ic-orphans-'));
afterAll(async () => {
  await shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const flavor = 'tc39';
const orphans = () => loadFixture(flavor, 'orphans');
const crashes = () => loadFixture(flavor, 'crashes');
const signals = () => loadFixture(flavor, 'signals');
const unsendable = () => loadFixture(flavor, 'unsendable');

/** The default grace period is 1 s; allow generously more on a busy machine. */
const GONE_WITHIN = 5000;

/** Runs test/fixtures/parents/orphan-parent.mjs and resolves with it and its child's pid once printed. */
async function startParent(mode: 'exit' | 'spin', env: NodeJS.ProcessEnv = process.env) {
  const script = fixtureFile('parents/orphan-parent.mjs');
  const parent = spawn(process.execPath, [script, fixturePath(flavor, 'orphans'), mode], { stdio: ['ignore', 'pipe', 'inherit'], env });
  let out = '';
  parent.stdout.setEncoding('utf8');
  const childPid = await new Promise<number>((resolve, reject) => {
    parent.stdout.on('data', (chunk: string) => {
      out += chunk;
      const match = /child-pid (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    parent.once('exit', (code) => reject(new Error(`parent exited (${code}) before printing a child pid: ${out}`)));
  });
  return { parent, childPid };
}

describe('no child outlives its call', () => {
  const cases: Record<string, () => Promise<number>> = {
    value: async () => new (await orphans()).Orphans().pid(),
    'thrown error': async () => (await caught(new (await orphans()).Orphans().throwWithPid())).childPid,
    timeout: async () => (await caught(new (await crashes()).Crashes().sleep(20_000))).pid,
    abort: async () => {
      const { Signals } = await signals();
      const controller = new AbortController();
      const call = caught(new Signals().checkAtStart(join(dir, 'abort-report.json'), controller.signal));
      controller.abort('stop');
      return (await call).pid;
    },
    'serialization failure of the result': async () => (await caught(new (await unsendable()).Unsendable().returnsHandle())).pid,
    'child exit': async () => (await caught(new (await crashes()).Crashes().exitWith(2))).pid,
  };

  it.each(Object.keys(cases))('after a call ends with: %s', async (name) => {
    const pid = await cases[name]!();
    expect(pid).toEqual(expect.any(Number));
    expect(await waitForExit(pid, GONE_WITHIN)).toBe(true);
  });
});

describe('no child outlives its parent', () => {
  it('a warm child is gone after the parent exits normally', async () => {
    const { parent, childPid } = await startParent('exit');
    const [code] = await once(parent, 'exit');
    expect(code).toBe(0);
    expect(await waitForExit(childPid, GONE_WITHIN)).toBe(true);
  });

  it.each([
    ['under setpriv (the kernel kills it)', process.env],
    ['without setpriv (its watchdog thread kills it)', { ...process.env, ISOLATED_CALL_NO_SETPRIV: '1' }],
  ])('a child busy in a synchronous CPU loop is gone after the parent is SIGKILLed: %s', async (_, env) => {
    const { parent, childPid } = await startParent('spin', env);
    try {
      expect(isRunning(childPid)).toBe(true);
      parent.kill('SIGKILL');
      await once(parent, 'exit');
      expect(await waitForExit(childPid, GONE_WITHIN)).toBe(true);
    } finally {
      if (isRunning(childPid)) process.kill(childPid, 'SIGKILL'); // don't leave a spinning orphan when this fails
    }
  });
});

describe('leftovers in the child after its reply', () => {
  it('a long timer and a late unhandled rejection neither hang nor confuse the parent', async () => {
    const { Orphans } = await orphans();
    const pid = await new Orphans().leaveMess();
    expect(pid).toEqual(expect.any(Number));
    expect(await waitForExit(pid, GONE_WITHIN)).toBe(true);
    expect(await new Orphans().pid()).toEqual(expect.any(Number));
  });

  it('the same in a warm child: the crash after the reply is not blamed on the next call', async () => {
    const { Orphans } = await orphans();
    const first = await new Orphans().leaveMessWarm();
    expect(await waitForExit(first, GONE_WITHIN)).toBe(true); // the late rejection ended it
    // The process is gone a moment before the parent has read its exit; a call
    // made in that moment would still be sent to it. Wait until the SDK knows.
    await waitUntil(() => statsOf('Orphans.leaveMessWarm')?.alive === 0, GONE_WITHIN);
    const second = await new Orphans().leaveMessWarm();
    expect(second).not.toBe(first);
    await shutdown();
    expect(await waitForExit(second, GONE_WITHIN)).toBe(true);
  });
});

async function waitUntil(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
