import { describe, expect, it } from 'vitest';
import { DESIGN_RATE_MB_PER_S, MAX_INTERVAL_MS, nextIntervalMs, overshootMb } from './rss-watch.js';

describe("maxRss's sampling interval", () => {
  it('allows 10% of the budget or 20 MB over it, whichever is larger', () => {
    expect(overshootMb(32)).toBe(20);
    expect(overshootMb(200)).toBe(20);
    expect(overshootMb(1024)).toBeCloseTo(102.4);
  });

  it.each([32, 64, 160, 256, 1024, 4096, 65_536])(
    'budget %i MB: a child growing at 1 GB/s is seen within the allowed overshoot even by a timer twice late',
    (limitMb) => {
      for (let rssMb = 0; rssMb <= limitMb; rssMb += limitMb / 64) {
        const late = 2 * nextIntervalMs(rssMb, limitMb);
        const seenAt = rssMb + (DESIGN_RATE_MB_PER_S * late) / 1000;
        // The interval is capped at 100 ms: far under a large budget, the cap samples sooner than needed.
        expect(seenAt).toBeLessThanOrEqual(limitMb + overshootMb(limitMb) + 1e-9);
      }
    },
  );

  it('samples fastest at the budget and slows to 100 ms far under it', () => {
    expect(nextIntervalMs(32, 32)).toBeCloseTo(((0.5 * 20) / 1024) * 1000);
    expect(nextIntervalMs(160, 160)).toBeLessThan(nextIntervalMs(60, 160));
    expect(nextIntervalMs(50, 4096)).toBe(MAX_INTERVAL_MS);
    // Over the budget already: no headroom, the shortest interval.
    expect(nextIntervalMs(500, 160)).toBe(nextIntervalMs(160, 160));
  });
});
