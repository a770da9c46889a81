// The demo's table as an SVG bar chart (npm run demo -- --svg docs/demo.svg):
// the parent's RSS at start, after the work and after cleanup, per row, and
// the isolated child's peak. Every colour reads on a light and on a dark page
// (GitHub's themes): an image can't tell which theme the page has.
import type { Row } from './work.js';

export interface ChartRow {
  label: string;
  row: Row;
}

const MB = 1024 * 1024;
const TITLE = 'Parent RSS in MB, transpiling 20 × a 200-function file with typescript';
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const WIDTH = 760;
const HEIGHT = 380;
const PLOT = { left: 56, right: WIDTH - 16, top: 56, bottom: HEIGHT - 96 };
const SERIES = [
  { key: 'start', name: 'start', colour: '#8c959f' },
  { key: 'afterWork', name: 'after work', colour: '#e09b3d' },
  { key: 'afterCleanup', name: 'after cleanup', colour: '#3b82d6' },
] as const;
const PEAK_COLOUR = '#3b82d6';

/** Splits a label into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function rssChart(rows: ChartRow[], footnote: string): string {
  const peak = rows.at(-1)?.row.childPeak ?? 0;
  const highest = Math.max(peak, ...rows.flatMap(({ row }) => SERIES.map((s) => row[s.key])));
  const top = Math.ceil((highest * 1.1) / MB / 50) * 50; // room above the highest bar for its value
  const y = (bytes: number) => PLOT.bottom - ((bytes / MB) * (PLOT.bottom - PLOT.top)) / top;
  const groupWidth = (PLOT.right - PLOT.left) / rows.length;
  const bar = 34;
  const parts: string[] = [];

  for (let mb = 0; mb <= top; mb += 50) {
    const at = y(mb * MB).toFixed(1);
    parts.push(`<line class="grid" x1="${PLOT.left}" x2="${PLOT.right}" y1="${at}" y2="${at}"/>`);
    parts.push(`<text class="axis" x="${PLOT.left - 8}" y="${at}" dy="4" text-anchor="end">${mb}</text>`);
  }
  rows.forEach(({ label, row }, g) => {
    const isLast = g === rows.length - 1 && row.childPeak !== undefined;
    const bars = isLast ? SERIES.length + 1 : SERIES.length;
    const x0 = PLOT.left + g * groupWidth + (groupWidth - bars * bar - (bars - 1) * 6) / 2;
    SERIES.forEach((series, i) => {
      const x = x0 + i * (bar + 6);
      const value = row[series.key];
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${bar}" height="${(PLOT.bottom - y(value)).toFixed(1)}" fill="${series.colour}" rx="2"/>`,
      );
      parts.push(
        `<text class="value" x="${(x + bar / 2).toFixed(1)}" y="${(y(value) - 5).toFixed(1)}" text-anchor="middle">${(value / MB).toFixed(0)}</text>`,
      );
    });
    if (isLast) {
      const x = x0 + SERIES.length * (bar + 6);
      const value = row.childPeak ?? 0;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${bar}" height="${(PLOT.bottom - y(value)).toFixed(1)}" fill="none" stroke="${PEAK_COLOUR}" stroke-width="2" stroke-dasharray="5 3" rx="2"/>`,
      );
      parts.push(
        `<text class="value" x="${(x + bar / 2).toFixed(1)}" y="${(y(value) - 5).toFixed(1)}" text-anchor="middle">${(value / MB).toFixed(0)}</text>`,
      );
    }
    const centre = (PLOT.left + (g + 0.5) * groupWidth).toFixed(1);
    wrap(label, 26).forEach((line, i) => {
      parts.push(`<text class="label" x="${centre}" y="${PLOT.bottom + 20 + i * 16}" text-anchor="middle">${xmlText(line)}</text>`);
    });
    parts.push(
      `<text class="axis" x="${centre}" y="${PLOT.bottom + 56}" text-anchor="middle">kept ${row.afterCleanup >= row.start ? '+' : ''}${((row.afterCleanup - row.start) / MB).toFixed(1)} MB${row.loadedAfterCleanup ? ', typescript still loaded' : ', nothing loaded'}</text>`,
    );
  });

  const legend = [
    ...SERIES.map((s) => ({ name: s.name, swatch: `fill="${s.colour}"` })),
    {
      name: "the child's peak, given back when it exited",
      swatch: `fill="none" stroke="${PEAK_COLOUR}" stroke-width="2" stroke-dasharray="4 2"`,
    },
  ];
  let lx = PLOT.left;
  for (const { name, swatch } of legend) {
    parts.push(`<rect x="${lx}" y="30" width="12" height="12" rx="2" ${swatch}/>`);
    parts.push(`<text class="axis" x="${lx + 17}" y="40">${xmlText(name)}</text>`);
    lx += 17 + name.length * 6.6 + 18;
  }

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" role="img">
<title>${xmlText(TITLE)}: ${rows.map(({ label, row }) => `${label}: ${mb(row.start)} at start, ${mb(row.afterWork)} after work, ${mb(row.afterCleanup)} after cleanup`).join('; ')}${peak ? `; the child's peak: ${mb(peak)}` : ''}</title>
<style>
  text { fill: #768390; font-size: 12px; }
  .title { font-size: 14px; font-weight: 600; }
  .label { font-weight: 600; }
  .axis, .note { font-size: 11px; }
  .grid { stroke: #8c959f; stroke-opacity: 0.35; stroke-width: 1; }
</style>
<text class="title" x="${PLOT.left}" y="18">${xmlText(TITLE)}</text>
${parts.join('\n')}
<text class="note" x="${PLOT.left}" y="${HEIGHT - 10}">${xmlText(footnote)}</text>
</svg>
`;
}
