import type { MemoryReading } from './memory-reading.js';
import type { CostReport, ModuleFormat } from './report.js';

/** One module's line of `isolated-call cost`, in ms and MB; the `--json` output is an array of these. */
export interface CostRow {
  readonly module: string;
  readonly ok: boolean;
  /** How it was loaded: an ES module (or a built-in) can't be dropped from the module cache. null when it failed. */
  readonly format: ModuleFormat | null;
  readonly importMs: number | null;
  /** Resident memory the loaded module holds (after a full GC). */
  readonly rssMb: number | null;
  /** Of which private (anonymous) memory: null where the OS doesn't tell. */
  readonly privateMb: number | null;
  /** Of which file-backed memory: null where the OS doesn't tell. */
  readonly fileMb: number | null;
  /** V8 heap the loaded module holds after a full GC. */
  readonly heapMb: number | null;
  /** Resident memory still added after deleting the module from the cache and a full GC. */
  readonly keptAfterUnloadMb: number | null;
  /** Why it failed; only when ok is false. */
  readonly error?: string;
}

const MB = 1024 * 1024;

/** The row for a module's report: memory added since the reading before the import. */
export function costRow(module: string, report: CostReport): CostRow {
  if (!report.ok) {
    return {
      module,
      ok: false,
      format: null,
      importMs: null,
      rssMb: null,
      privateMb: null,
      fileMb: null,
      heapMb: null,
      keptAfterUnloadMb: null,
      error: report.error,
    };
  }
  const { before, loaded } = report;
  const added = (pick: (reading: MemoryReading) => number | null, after: MemoryReading) => {
    const from = pick(before);
    const to = pick(after);
    return from === null || to === null ? null : round((to - from) / MB, 1);
  };
  return {
    module,
    ok: true,
    format: report.format,
    importMs: round(report.importMs, 1),
    rssMb: added((r) => r.rss, loaded),
    privateMb: added((r) => r.anon, loaded),
    fileMb: added((r) => r.file, loaded),
    heapMb: added((r) => r.heap, loaded),
    keptAfterUnloadMb: added((r) => r.rss, report.unloaded),
  };
}

/** Most costly first (by RSS added); failures last, in the order given. */
export function byCost(rows: readonly CostRow[]): CostRow[] {
  const cost = (row: CostRow) => row.rssMb ?? Number.NEGATIVE_INFINITY;
  return [...rows].sort((a, b) => (cost(a) === cost(b) ? 0 : cost(b) > cost(a) ? 1 : -1));
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  // `+ 0` turns -0 into 0 for the JSON output.
  return Math.round(value * factor) / factor + 0;
}
