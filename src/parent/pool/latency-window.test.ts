import { describe, expect, it } from 'vitest';
import { LATENCY_WINDOW, LatencyWindow } from './latency-window.js';

describe('LatencyWindow', () => {
  it('is all zeros before the first sample', () => {
    expect(new LatencyWindow().percentiles()).toEqual({ samples: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  });

  it('gives nearest-rank percentiles', () => {
    const window = new LatencyWindow();
    for (let ms = 100; ms >= 1; ms--) window.record(ms);
    expect(window.percentiles()).toEqual({ samples: 100, p50: 50, p90: 90, p99: 99, max: 100 });
  });

  it('keeps only the most recent calls', () => {
    const window = new LatencyWindow();
    for (let i = 0; i < LATENCY_WINDOW; i++) window.record(1000);
    for (let i = 0; i < LATENCY_WINDOW; i++) window.record(i % 10);
    const { samples, max, p50 } = window.percentiles();
    expect(samples).toBe(LATENCY_WINDOW);
    expect(max).toBe(9);
    expect(p50).toBeLessThanOrEqual(5);
  });
});
