import type { Encoded } from './tags.js';

/*
 * Envelopes whose walk already settled whether JSON carries `v` exactly, so
 * the wire (protocol/wire-value.ts) doesn't walk the value again. The answer
 * is the envelope's class, not a field: JSON.stringify writes own properties
 * only, so it never reaches the wire; and a class costs nothing per envelope,
 * where a WeakSet entry costs more than the walk of a small value.
 */

/** Objects plus entries past which JSON isn't worth checking for: V8's serializer is as fast. */
export const JSON_BUDGET = 1_000_000;

/** Would JSON give this primitive back as it is? Not undefined, NaN, ±Infinity, -0 or a bigint. */
export function isJsonPrimitive(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return value - value === 0 && (value !== 0 || 1 / value > 0);
    default:
      return value === null;
  }
}

class Settled implements Encoded {
  declare readonly f?: readonly string[];
  constructor(
    readonly v: unknown,
    readonly t: boolean,
    f?: readonly string[],
  ) {
    if (f !== undefined) this.f = f;
  }
}
class JsonExact extends Settled {}
class NotJsonExact extends Settled {}

/** The envelope, with whether JSON carries `v` exactly known to the wire. */
export function withJsonExactness(v: unknown, t: boolean, exact: boolean, f?: readonly string[]): Encoded {
  return exact ? new JsonExact(v, t, f) : new NotJsonExact(v, t, f);
}

/** Whether JSON carries the envelope's value exactly, when its walk already found out. */
export function knownJsonExactness(encoded: Encoded): boolean | undefined {
  return encoded instanceof JsonExact ? true : encoded instanceof NotJsonExact ? false : undefined;
}
