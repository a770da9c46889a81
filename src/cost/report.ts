import type { MemoryReading } from './memory-reading.js';

/**
 * The message a measuring child sends its parent over IPC, and the parent's
 * check of it. The child runs the user's dependency, which can send anything
 * on the same channel: the parent trusts nothing it has not checked here.
 */

/** Marks the measuring child's report; its value is this format's version. */
export const REPORT_MARKER = '__isolatedCallCost';
const REPORT_VERSION = 1;
const MAX_ERROR_CHARS = 4096;

/** How the module was loaded: only a CommonJS module can be deleted from a module cache. */
export type ModuleFormat = 'builtin' | 'commonjs' | 'esm';

export interface LoadedReport {
  readonly ok: true;
  readonly format: ModuleFormat;
  readonly importMs: number;
  /** Before the import, after a full GC. */
  readonly before: MemoryReading;
  /** After the import and a full GC: what the module holds while loaded, its garbage gone. */
  readonly loaded: MemoryReading;
  /** After deleting the module from the cache (CommonJS) and a full GC. */
  readonly unloaded: MemoryReading;
}

export interface FailedReport {
  readonly ok: false;
  readonly error: string;
}

export type CostReport = LoadedReport | FailedReport;

/** The message for `report`, as the child sends it. */
export function reportMessage(report: CostReport): Record<string, unknown> {
  return { [REPORT_MARKER]: REPORT_VERSION, ...report };
}

/**
 * The report in `message`, `undefined` when the message is not one (other
 * traffic on the channel), or an Error saying why a message that claims to
 * be one is malformed.
 */
export function parseReport(message: unknown): CostReport | Error | undefined {
  if (typeof message !== 'object' || message === null || !(REPORT_MARKER in message)) return undefined;
  const m = message as Record<string, unknown>;
  if (m[REPORT_MARKER] !== REPORT_VERSION) return new Error(`report of an unknown version ${String(m[REPORT_MARKER])}`);
  if (m.ok === false) {
    if (typeof m.error !== 'string') return new Error('failed report without an error text');
    return { ok: false, error: m.error.length > MAX_ERROR_CHARS ? `${m.error.slice(0, MAX_ERROR_CHARS)}…` : m.error };
  }
  if (m.ok !== true) return new Error('report without ok');
  if (m.format !== 'builtin' && m.format !== 'commonjs' && m.format !== 'esm') return new Error('report with an unknown format');
  if (!isAmount(m.importMs)) return new Error('report with an invalid importMs');
  const readings: Record<string, MemoryReading> = {};
  for (const key of ['before', 'loaded', 'unloaded'] as const) {
    const reading = parseReading(m[key]);
    if (!reading) return new Error(`report with an invalid ${key} reading`);
    readings[key] = reading;
  }
  return {
    ok: true,
    format: m.format,
    importMs: m.importMs,
    before: readings.before!,
    loaded: readings.loaded!,
    unloaded: readings.unloaded!,
  };
}

function parseReading(value: unknown): MemoryReading | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { rss, anon, file, heap } = value as Record<string, unknown>;
  if (!isAmount(rss) || !isAmount(heap)) return undefined;
  if (!(anon === null || isAmount(anon)) || !(file === null || isAmount(file))) return undefined;
  return { rss, anon, file, heap };
}

/** A finite amount ≥ 0 no larger than a process could hold (bytes or ms). */
function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= Number.MAX_SAFE_INTEGER;
}
