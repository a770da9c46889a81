import { afterEach, describe, expect, it } from 'vitest';
import { configure, InvalidOptionError, stats, warmUp } from 'isolated-call';
import { loadFixture } from './helpers/fixtures.js';
import { childrenOf, waitForChildren, waitForExit } from './helpers/processes.js';
import { shutdownAndReset } from './helpers/sdk-state.js';

afterEach(shutdownAndReset);

describe('standby', () => {
  it('starts no child before the first call', async () => {
    await loadFixture('tc39', 'lifecycle');
    await new Promise((r) => setTimeout(r, 200));
    expect(childrenOf(process.pid)).toEqual([]);
  });

  it('keeps one fresh child ready after the first call, runs the next call on it, then replaces it', async () => {
    const { Standby } = await loadFixture('tc39', 'lifecycle');
    const first = await new Standby().visit();
    expect(await waitForExit(first.pid, 3000)).toBe(true); // fresh-child mode: the call's child exits
    const [standbyPid] = await waitForChildren(1);

    // Idle a while, so a child that had imported the module before the call would show it.
    await new Promise((r) => setTimeout(r, 300));
    const calledAt = Date.now();
    const second = await new Standby().visit();
    expect(second.pid).toBe(standbyPid);
    expect(second.importedAt).toBeGreaterThanOrEqual(calledAt); // it loaded the user's module only for the call

    expect(await waitForExit(second.pid, 3000)).toBe(true);
    const [replacement] = await waitForChildren((pids) => pids.length === 1 && pids[0] !== standbyPid);
    expect((await new Standby().visit()).pid).toBe(replacement);
  });

  it('is started explicitly by warmUp()', async () => {
    const { Standby } = await loadFixture('tc39', 'lifecycle');
    warmUp(Standby.prototype.visit);
    const [standbyPid] = await waitForChildren(1);
    warmUp(Standby.prototype.visit); // once is enough: still one
    await new Promise((r) => setTimeout(r, 200));
    expect(childrenOf(process.pid)).toEqual([standbyPid]);
    expect((await new Standby().visit()).pid).toBe(standbyPid);
    expect(stats()).toMatchObject([{ target: 'Standby.visit', calls: 1, failures: 0, queued: 0, running: 0, alive: 1 }]);
  });

  it('warmUp() also starts the warm child of a keepAlive method', async () => {
    const { Warm } = await loadFixture('tc39', 'lifecycle');
    warmUp(Warm.prototype.visit);
    const [warmPid] = await waitForChildren(1);
    expect((await new Warm().visit()).pid).toBe(warmPid);
  });

  it('warmUp() refuses a method that is not isolated', async () => {
    expect(() => warmUp(function notIsolated() {})).toThrow(InvalidOptionError);
  });

  it('gives its place to a call of another method at the maxChildren cap', async () => {
    const { Standby, StandbyOtherEnv } = await loadFixture('tc39', 'lifecycle');
    configure({ maxChildren: 1 });
    warmUp(Standby.prototype.visit);
    const [standbyPid] = await waitForChildren(1);
    // Another child command can't use it; waiting for it would wait forever.
    const other = await new StandbyOtherEnv().visit();
    expect(other.pid).not.toBe(standbyPid);
    expect(await waitForExit(standbyPid!, 3000)).toBe(true);
  });

  it('is shared by methods with the same child options and separate for different ones', async () => {
    const { Standby, StandbyTwin, StandbyOtherEnv } = await loadFixture('tc39', 'lifecycle');
    warmUp(Standby.prototype.visit);
    const [shared] = await waitForChildren(1);
    warmUp(StandbyTwin.prototype.visit); // same options: no second standby
    warmUp(StandbyOtherEnv.prototype.visit);
    const both = await waitForChildren(2);
    const other = both.find((pid) => pid !== shared)!;

    expect((await new StandbyTwin().visit()).pid).toBe(shared);
    const otherVisit = await new StandbyOtherEnv().visit();
    expect(otherVisit.pid).toBe(other);
    expect(otherVisit.env).toBe('other');
  });
});
