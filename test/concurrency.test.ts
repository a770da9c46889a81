import { afterEach, describe, expect, it } from 'vitest';
import { configure, shutdown } from 'isolated-call';
import { loadFixture } from './helpers/fixtures.js';
import { childrenOf } from './helpers/processes.js';
import { shutdownAndReset, statsOf } from './helpers/sdk-state.js';

interface Visit {
  pid: number;
  start: number;
  end: number;
  tag: unknown;
}

afterEach(shutdownAndReset);

/** The most calls whose run times overlap at any moment. */
function mostAtOnce(visits: Visit[]): number {
  const edges = visits
    .flatMap(
      (v) =>
        [
          [v.start, 1],
          [v.end, -1],
        ] as const,
    )
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, delta] of edges) most = Math.max(most, (now += delta));
  return most;
}

/** Samples this process's live children until `work` settles; returns the most seen at once. */
async function mostChildrenDuring<T>(work: Promise<T>): Promise<{ result: T; most: number }> {
  let done = false;
  let most = 0;
  const sampling = (async () => {
    while (!done) {
      most = Math.max(most, childrenOf(process.pid).length);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    return { result: await work, most };
  } finally {
    done = true;
    await sampling;
  }
}

describe('concurrency', () => {
  it('1 runs calls one after another, in the order they were made', async () => {
    const { Serial } = await loadFixture('tc39', 'lifecycle');
    const serial = new Serial();
    const visits: Visit[] = await Promise.all([0, 1, 2].map((tag) => serial.visit(150, tag)));
    const byStart = [...visits].sort((a, b) => a.start - b.start);
    expect(byStart.map((v) => v.tag)).toEqual([0, 1, 2]);
    for (let i = 1; i < byStart.length; i++) expect(byStart[i]!.start).toBeGreaterThanOrEqual(byStart[i - 1]!.end);
  });

  it('N runs at most N calls at once, on at most N children', async () => {
    const { WarmPair } = await loadFixture('tc39', 'lifecycle');
    const pair = new WarmPair();
    const calls = Promise.all([0, 1, 2, 3, 4].map((tag) => pair.visit(300, tag)));
    expect(statsOf('WarmPair.visit')).toMatchObject({ running: 2, queued: 3 });
    const { result: visits, most } = await mostChildrenDuring(calls);
    expect(mostAtOnce(visits)).toBe(2);
    expect(new Set(visits.map((v) => v.pid)).size).toBe(2); // keepAlive: the two children take turns
    expect(most).toBeLessThanOrEqual(2);
  });

  it('configure({ maxChildren }) caps live children across methods', async () => {
    const { CappedA, CappedB } = await loadFixture('tc39', 'lifecycle');
    configure({ maxChildren: 2 });
    const calls = Promise.all([
      new CappedA().visit(300, 'a0'),
      new CappedA().visit(300, 'a1'),
      new CappedB().visit(300, 'b0'),
      new CappedB().visit(300, 'b1'),
    ]);
    const { result: visits, most } = await mostChildrenDuring(calls);
    expect(visits.map((v) => v.tag)).toEqual(['a0', 'a1', 'b0', 'b1']);
    expect(mostAtOnce(visits)).toBeLessThanOrEqual(2);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('an idle warm child of one method gives way to a call of another at the maxChildren cap', async () => {
    const { Warm, Fresh } = await loadFixture('tc39', 'lifecycle');
    configure({ maxChildren: 1 });
    const warm = await new Warm().visit(); // stays idle for 60 s
    const fresh = await new Fresh().visit(); // must not wait those 60 s
    expect(fresh.pid).not.toBe(warm.pid);
  });

  it('stats() reports calls, failures, queued, running and alive per method', async () => {
    const { Counted } = await loadFixture('tc39', 'lifecycle');
    const counted = new Counted();
    const calls = [counted.visit(200), counted.visit(0), counted.visit(0)];
    expect(statsOf('Counted.visit')).toMatchObject({ target: 'Counted.visit', calls: 3, failures: 0, queued: 2, running: 1, alive: 1 });
    await Promise.all(calls);
    await expect(counted.fail('no')).rejects.toThrow('no');
    expect(statsOf('Counted.visit')).toMatchObject({ target: 'Counted.visit', calls: 3, failures: 0, queued: 0, running: 0, alive: 1 });
    expect(statsOf('Counted.fail')).toMatchObject({ target: 'Counted.fail', calls: 1, failures: 1, queued: 0, running: 0, alive: 1 });
    await shutdown();
    expect(statsOf('Counted.visit')).toBeUndefined(); // counters start afresh after shutdown()
  });
});
