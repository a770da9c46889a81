import { afterEach, describe, expect, it } from 'vitest';
import { configure, type CallInfo } from 'isolated-call';
import { loadFixture } from './helpers/fixtures.js';
import { isRunning, waitForExit } from './helpers/processes.js';
import { shutdownAndReset } from './helpers/sdk-state.js';

const MB = 1024 * 1024;

afterEach(shutdownAndReset);

describe('recycling warm children', () => {
  it('maxCallsPerChild retires a warm child after that many calls', async () => {
    const { Recycled } = await loadFixture('tc39', 'lifecycle');
    const recycled = new Recycled();
    const pids: number[] = [];
    for (let i = 0; i < 5; i++) pids.push((await recycled.visit()).pid);
    // maxCallsPerChild: 2 -> a, a, b, b, c
    expect(pids[1]).toBe(pids[0]);
    expect(pids[2]).not.toBe(pids[0]);
    expect(pids[3]).toBe(pids[2]);
    expect(pids[4]).not.toBe(pids[2]);
    expect(await waitForExit(pids[0]!, 3000)).toBe(true);
    expect(await waitForExit(pids[2]!, 3000)).toBe(true);
    expect(isRunning(pids[4]!)).toBe(true); // the third child is still warm
  });

  it('maxChildRss retires a warm child whose peak RSS went over, and keeps one that stayed under', async () => {
    const { RssBound } = await loadFixture('tc39', 'lifecycle');
    const infos: CallInfo[] = [];
    configure({ onCallEnd: (info) => infos.push(info) });
    const bound = new RssBound();
    const small = await bound.allocate(0);
    expect(await bound.allocate(1)).toBe(small); // well under 100 MB: kept warm
    expect(infos.at(-1)!.peakRss).toBeLessThan(100 * MB);

    expect(await bound.allocate(150)).toBe(small); // runs on the warm child, which goes over 100 MB
    expect(infos.at(-1)!.peakRss).toBeGreaterThan(100 * MB);
    expect(await waitForExit(small, 3000)).toBe(true);
    const next = await bound.allocate(0);
    expect(next).not.toBe(small);
    // The peak is measured per call: the new child's small call is under the bound again.
    expect(infos.at(-1)!.peakRss).toBeLessThan(100 * MB);
    expect(await bound.allocate(0)).toBe(next);
  });
});
