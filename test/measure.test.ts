import { describe, expect, it } from 'vitest';
import { measureRss } from 'isolated-call';

const MB = 1024 * 1024;

describe('measureRss', () => {
  it('takes a snapshot of this process in bytes', () => {
    const { rss, peak } = measureRss();
    expect(rss).toBeGreaterThan(10 * MB);
    expect(peak).toBeGreaterThanOrEqual(rss);
  });

  it('measures what a function leaves behind and its peak', async () => {
    const kept: Buffer[] = [];
    const m = await measureRss(() => {
      kept.push(Buffer.alloc(64 * MB, 1)); // kept alive: must show in delta
      return 'done';
    });
    expect(m.result).toBe('done');
    expect(m.delta).toBeGreaterThan(50 * MB); // bound: 64 MB written, allow 14 MB slack
    expect(m.peak).toBeGreaterThanOrEqual(m.before.rss + 50 * MB);
    expect(m.peakIsScoped).toBe(process.platform === 'linux');
    expect(m.collected).toBe(true);
    expect(kept[0]!.length).toBe(64 * MB);
  });

  it('scopes the peak to the function on Linux', async () => {
    const big = await measureRss(() => Buffer.alloc(200 * MB, 1).length);
    const small = await measureRss(() => 1);
    // bound: 200 MB touched; pages freed by an earlier test may be reused, so allow 100 MB of slack
    expect(big.peak - big.before.rss).toBeGreaterThan(100 * MB);
    // After a reset the peak starts from the current RSS, not from the 200 MB spike.
    if (small.peakIsScoped) expect(small.peak).toBeLessThan(big.peak - 100 * MB);
  });
});
