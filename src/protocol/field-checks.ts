/**
 * Checks of single fields of an untrusted message, and how to name a bad
 * value in the error that refuses it (parse-child-message.ts).
 */

/** A plain record, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: nothing on a prototype can stand in for a missing field. */
export function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A call id: a positive safe integer. */
export function isId(id: unknown): id is number {
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0;
}

/** A string of at most `max` characters. */
export function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

/** A short, safe rendering of a field for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === undefined || value === null) {
    return typeof value === 'bigint' ? `${value}n` : String(value);
  }
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
