import diagnosticsChannel from 'node:diagnostics_channel';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ChildExitedError, ChildOutOfMemoryError, configure, InvalidOptionError, isolate } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { fixtureFile, fixturePath, loadFixture } from './helpers/fixtures.js';
import { isRunning, readWhenWritten, waitForExit } from './helpers/processes.js';
import { runNodeJson } from './helpers/scripts.js';
import { shutdownAndReset } from './helpers/sdk-state.js';

afterEach(shutdownAndReset);

const dir = mkdtempSync(join(tmpdir(), 'ic-maxrss-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const budget = async () => new (await loadFixture('tc39', 'memory-budget')).MemoryBudget();

/** The fields every over-budget rejection has: the budget of the fixture's methods is 160 MB. */
function expectOverBudget(error: any, limitMb = 160): void {
  expect(error).toBeInstanceOf(ChildOutOfMemoryError);
  expect(error).toBeInstanceOf(ChildExitedError);
  expect(error.code).toBe('ERR_ISOLATED_CHILD_OOM');
  expect(error.kind).toBe('rss');
  expect(error.limitMb).toBe(limitMb);
  expect(error.peakMb).toBeGreaterThan(limitMb);
  expect(error.message).toContain(`maxRss ${limitMb} MB`);
  expect(error.message).toContain('Raise the maxRss option');
}

describe('maxRss', () => {
  it('fails a call whose child grows past the budget, and ends the child', async () => {
    const error = await caught((await budget()).hold(400, 500));
    expectOverBudget(error);
    // Growing at 500 MB/s, it is seen within the allowed overshoot (20 MB over a 160 MB budget), give or take one 8 MB step.
    expect(error.peakMb).toBeLessThan(160 + 20 + 8);
    expect(error.signal).toBe('SIGKILL');
    expect(await waitForExit(error.pid)).toBe(true);
  });

  it('fails a call whose child went over and freed it again before replying', async () => {
    const doneFile = join(dir, 'spike-done');
    const call = caught((await budget()).spike(300, doneFile));
    // This process is the parent: with its event loop held, no sample can see the spike, only the child's own
    // high-water mark for the call, which comes with its reply.
    await new Promise((resolve) => setImmediate(resolve));
    const deadline = Date.now() + 20_000;
    while (!existsSync(doneFile) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    expectOverBudget(await call);
  });

  it('keeps a plain Node parent alive until that call has failed (nothing else holds its event loop)', () => {
    const { json } = runNodeJson([fixtureFile('parents/spike-parent.mjs'), fixturePath('tc39', 'memory-budget'), join(dir, 'spike-alone')]);
    expect(json).toEqual({ settled: 'rejected', name: 'ChildOutOfMemoryError', kind: 'rss' });
  });

  it('lets a call under its budget succeed', async () => {
    const result = await (await budget()).hold(24);
    expect(result.pid).toBeGreaterThan(0);
  });

  it('ends the whole process group: a process the child started is gone too', async () => {
    const pidFile = join(dir, 'group.json');
    const error = await caught((await budget()).holdWithGrandchild(400, pidFile));
    expectOverBudget(error);
    const pids = JSON.parse(await readWhenWritten(pidFile)) as { child: number; grandchild: number };
    expect(error.pid).toBe(pids.child);
    expect(await waitForExit(pids.child)).toBe(true);
    expect(await waitForExit(pids.grandchild)).toBe(true);
  });

  it('counts what the processes the child started hold', async () => {
    // The child itself stays near 50 MB; the Node process it runs holds 300 MB.
    const error = await caught((await budget()).holdInGrandchild(300));
    expectOverBudget(error);
  });

  it('fails a stream mid-way: the values before it come, then the error', async () => {
    const seen: number[] = [];
    const error = await caught(
      (async () => {
        for await (const value of (await budget()).stream(3, 400)) seen.push(value);
      })(),
    );
    expectOverBudget(error);
    expect(seen).toEqual([0, 1, 2]);
  });

  it('watches a kept-alive child while it serves a call, not while it is idle', async () => {
    const warm = await budget();
    // Its call stays under the budget; 50 ms after its reply, idle, it grows past it.
    const pid = await warm.warm(8, 300, 50);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(isRunning(pid)).toBe(true);
    // Its next call finds it over the budget at once.
    const error = await caught(warm.warm(0));
    expectOverBudget(error);
    expect(error.pid).toBe(pid);
    expect(await waitForExit(pid)).toBe(true);
    // The one after gets a new child, under the budget.
    expect(await warm.warm(8)).not.toBe(pid);
  });

  it('is not retried, whatever retries says', async () => {
    const attemptsFile = join(dir, 'attempts.txt');
    const error = await caught((await budget()).holdWithRetries(400, attemptsFile));
    expectOverBudget(error);
    expect(readFileSync(attemptsFile, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('fails only the call over budget: another one running at the same time succeeds', async () => {
    const b = await budget();
    const [over, under] = await Promise.allSettled([b.hold(400, 500), b.hold(24, 100)]);
    expect(over.status).toBe('rejected');
    expectOverBudget((over as PromiseRejectedResult).reason);
    expect(under.status).toBe('fulfilled');
  });

  it("reports V8's heap limit as kind 'heap', with the peak the parent saw", async () => {
    const error = await caught((await budget()).heap());
    expect(error).toBeInstanceOf(ChildOutOfMemoryError);
    expect(error.kind).toBe('heap');
    expect(error.limitMb).toBe(32);
    expect(error.peakMb).toBeGreaterThan(0);
    expect(error.message).toContain('maxOldSpaceSize 32 MB');
  });

  it('is a configure() default, which a method can lift with Infinity', async () => {
    configure({ maxRss: 96 });
    const b = await budget();
    expectOverBudget(await caught(b.unbudgeted(200)), 96);
    expect((await b.lifted(200)).pid).toBeGreaterThan(0);
  });
});

describe('maxRss: invalid values', () => {
  it.each([31, 64.5, -1, Number.NaN, '64', null])('%s fails with InvalidOptionError before any child starts', (value) => {
    const spawned: unknown[] = [];
    const onSpawn = (event: unknown) => spawned.push(event);
    diagnosticsChannel.subscribe('isolated-call:child:spawn', onSpawn);
    try {
      for (const apply of [() => isolate(async () => 1, { maxRss: value as number }), () => configure({ maxRss: value as number })]) {
        let thrown: unknown;
        try {
          apply();
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(InvalidOptionError);
        expect((thrown as InvalidOptionError).option).toBe('maxRss');
        expect((thrown as Error).message).toContain('at least 32');
      }
    } finally {
      diagnosticsChannel.unsubscribe('isolated-call:child:spawn', onSpawn);
    }
    expect(spawned).toEqual([]);
  });
});
