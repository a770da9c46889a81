import { afterEach, describe, expect, it } from 'vitest';
import { ChildExitedError, configure, shutdown, ShutdownError, stats } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';
import { childrenOf, isRunning, waitForChildren, waitForExit } from './helpers/processes.js';
import { shutdownAndReset, statsOf } from './helpers/sdk-state.js';

afterEach(shutdownAndReset);

describe('shutdown()', () => {
  it('rejects queued calls with ShutdownError and lets calls in flight finish', async () => {
    const { Serial } = await loadFixture('tc39', 'lifecycle');
    const serial = new Serial(); // concurrency 1
    const running = serial.visit(600, 'running');
    const queued = [serial.visit(0, 'q1'), serial.visit(0, 'q2')];
    await waitForChildren(1);
    const done = shutdown();
    for (const call of queued) {
      const error = await caught(call);
      expect(error).toBeInstanceOf(ShutdownError);
      expect((error as ShutdownError).code).toBe('ERR_ISOLATED_SHUTDOWN');
    }
    expect((await running).tag).toBe('running');
    await done; // resolves once the child is gone
    expect(childrenOf(process.pid)).toEqual([]);
  });

  it('with force: true kills the children of calls in flight', async () => {
    const { Serial } = await loadFixture('tc39', 'lifecycle');
    const running = new Serial().visit(20_000, 'running');
    const [pid] = await waitForChildren(1);
    await shutdown({ force: true });
    const error = await caught(running);
    expect(error).toBeInstanceOf(ChildExitedError);
    expect((error as ChildExitedError).signal).toBe('SIGKILL');
    expect(isRunning(pid!)).toBe(false);
  });

  it('ends warm and standby children', async () => {
    const { Warm, Standby } = await loadFixture('tc39', 'lifecycle');
    const warm = await new Warm().visit();
    const standbyCall = await new Standby().visit();
    expect(await waitForExit(standbyCall.pid, 3000)).toBe(true);
    const children = await waitForChildren(2); // the warm child and the standby child
    expect(children).toContain(warm.pid);
    await shutdown();
    expect(childrenOf(process.pid)).toEqual([]);
    for (const pid of children) expect(isRunning(pid)).toBe(false);
    expect(stats()).toEqual([]);
  });

  it('ends warm children of methods whose options changed by configure() since', async () => {
    const { Warm } = await loadFixture('tc39', 'lifecycle');
    const before = await new Warm().visit();
    configure({ timeout: 30_000 });
    const after = await new Warm().visit();
    await shutdown();
    expect(isRunning(before.pid)).toBe(false);
    expect(isRunning(after.pid)).toBe(false);
  });

  it('leaves the SDK usable: calls after shutdown() start afresh', async () => {
    const { Warm, Fresh } = await loadFixture('tc39', 'lifecycle');
    const first = await new Warm().visit();
    await shutdown();
    const second = await new Warm().visit();
    expect(second.pid).not.toBe(first.pid);
    expect(isRunning(second.pid)).toBe(true);
    expect((await new Fresh().visit(0, 'again')).tag).toBe('again');
    expect(statsOf('Warm.visit')).toMatchObject({ calls: 1, alive: 1 });
  });

  it('resolves at once when there is nothing to end', async () => {
    await shutdown();
    await shutdown({ force: true });
    expect(childrenOf(process.pid)).toEqual([]);
  });
});
