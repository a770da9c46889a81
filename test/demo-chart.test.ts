import { describe, expect, it } from 'vitest';
import { rssChart } from '../examples/demo/chart.js';

const MB = 1024 * 1024;
const rows = [
  {
    label: "(a) require('typescript') in the parent",
    row: { start: 100 * MB, afterWork: 200 * MB, afterCleanup: 190 * MB, loadedAfterCleanup: true },
  },
  {
    label: '(c) the same work through @Isolated()',
    row: { start: 100 * MB, afterWork: 100 * MB, afterCleanup: 101 * MB, childPeak: 150 * MB, loadedAfterCleanup: false },
  },
];

describe('the demo chart (npm run demo -- --svg)', () => {
  const svg = rssChart(rows, 'Node <test> & co');

  it('draws a bar per reading, its height proportional to the RSS, and the child peak dashed', () => {
    const heights = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="34" height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(7); // 3 readings per row, and the child's peak
    const perMb = heights[0]! / 100;
    expect(heights.map((h) => Math.round(h / perMb))).toEqual([100, 200, 190, 100, 100, 101, 150]);
    expect(svg).toMatch(/height="[\d.]+" fill="none" stroke="#3b82d6" stroke-width="2" stroke-dasharray/);
  });

  it('labels the rows with what they kept, and escapes text', () => {
    expect(svg).toContain('kept +90.0 MB, typescript still loaded');
    expect(svg).toContain('kept +1.0 MB, nothing loaded');
    expect(svg).toContain('Node &lt;test&gt; &amp; co');
    expect(svg).not.toContain('<test>');
  });
});
