import { afterEach, describe, expect, it } from 'vitest';
import { shutdown } from 'isolated-call';
import { flavors, loadFixture } from './helpers/fixtures.js';
import { isRunning, waitForExit } from './helpers/processes.js';

afterEach(() => shutdown());

describe('keepAlive', () => {
  it('0 (the default) runs every call in a new child that exits after it', async () => {
    const { Fresh } = await loadFixture('tc39', 'lifecycle');
    const first = await new Fresh().visit();
    const second = await new Fresh().visit();
    expect(second.pid).not.toBe(first.pid);
    expect(await waitForExit(first.pid, 3000)).toBe(true);
    expect(await waitForExit(second.pid, 3000)).toBe(true);
  });

  it('> 0 reuses the same warm child for the next calls', async () => {
    const { Warm, warmFunction } = await loadFixture('tc39', 'lifecycle');
    const warm = new Warm();
    const pids = [(await warm.visit()).pid, (await warm.visit()).pid, (await warm.visit()).pid];
    expect(new Set(pids).size).toBe(1);
    expect(isRunning(pids[0]!)).toBe(true);
    // The function form keeps its child warm the same way.
    const fnPid = await warmFunction();
    expect(await warmFunction()).toBe(fnPid);
    expect(fnPid).not.toBe(pids[0]);
  });

  it('ends a warm child after it was idle for keepAlive ms', async () => {
    const { ShortWarm } = await loadFixture('tc39', 'lifecycle');
    const { pid } = await new ShortWarm().visit();
    expect(isRunning(pid)).toBe(true); // kept after its call...
    expect(await waitForExit(pid, 6000)).toBe(true); // ...and gone after 1 s idle (bound: 6 s)
    // The next call starts a new child.
    const next = await new ShortWarm().visit();
    expect(next.pid).not.toBe(pid);
  });

  it('restarts the idle clock at every call', async () => {
    const { ShortWarm } = await loadFixture('tc39', 'lifecycle');
    const warm = new ShortWarm();
    const { pid } = await warm.visit();
    // Calls spaced well within the idle time keep the same child.
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      expect((await warm.visit()).pid).toBe(pid);
    }
  });
});

describe.each(flavors)('keepAlive (%s build)', (flavor) => {
  it('reuses the warm child, which imports the module once', async () => {
    const { Warm } = await loadFixture(flavor, 'lifecycle');
    const first = await new Warm().visit();
    const second = await new Warm().visit();
    expect(second.pid).toBe(first.pid);
    expect(second.importedAt).toBe(first.importedAt);
  });
});
