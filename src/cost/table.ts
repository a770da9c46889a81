import type { CostRow } from './cost-row.js';

const BAR_WIDTH = 30;
/** The least RSS a full bar stands for: a lone module of 0.1 MB gets a sliver, not a full bar. */
const MIN_FULL_BAR_MB = 10;
const COLUMNS = ['module', 'format', 'import ms', 'RSS MB', 'private', 'file', 'heap MB', 'kept MB'] as const;

/**
 * The rows (sorted already) as an aligned text table with a bar for each
 * module's RSS, failures listed below it with their errors, and a legend.
 */
export function costTable(rows: readonly CostRow[]): string {
  const loaded = rows.filter((row) => row.ok);
  const failed = rows.filter((row) => !row.ok);
  const lines: string[] = [];
  if (loaded.length > 0) {
    const widest = Math.max(...loaded.map((row) => row.rssMb ?? 0), MIN_FULL_BAR_MB);
    const cells = loaded.map((row) => [
      row.module,
      row.format ?? '',
      number(row.importMs),
      number(row.rssMb),
      number(row.privateMb),
      number(row.fileMb),
      number(row.heapMb),
      number(row.keptAfterUnloadMb),
    ]);
    const widths = COLUMNS.map((header, i) => Math.max(header.length, ...cells.map((cell) => cell[i]?.length ?? 0)));
    // Text columns to the left, numbers to the right.
    const line = (cell: readonly string[]) =>
      cell.map((text, i) => (i < 2 ? text.padEnd(widths[i] ?? 0) : text.padStart(widths[i] ?? 0))).join('  ');
    lines.push(line(COLUMNS));
    for (const [i, row] of loaded.entries()) lines.push(`${line(cells[i] ?? [])}  ${bar(row.rssMb ?? 0, widest)}`.trimEnd());
    lines.push(
      '',
      'RSS: resident memory the loaded module holds after a full GC (private + file-backed); heap: V8 heap of it;',
      'kept: RSS still added after deleting it from the module cache and a full GC (an ES module cannot be deleted).',
    );
  }
  if (failed.length > 0) {
    if (lines.length > 0) lines.push('');
    for (const row of failed) lines.push(`${row.module}: failed: ${row.error ?? 'unknown error'}`);
  }
  return `${lines.join('\n')}\n`;
}

function number(value: number | null): string {
  return value === null ? '-' : value.toFixed(1);
}

function bar(value: number, widest: number): string {
  if (value <= 0) return '';
  return '█'.repeat(Math.max(1, Math.round((value / widest) * BAR_WIDTH)));
}
