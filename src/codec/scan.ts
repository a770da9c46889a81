import { Kind, classify, classifyContext, isLarge, type ClassifyContext } from './classify.js';
import { mostlyHoles, presentIndicesFrom } from './sparse-arrays.js';
import { JSON_BUDGET, isJsonPrimitive } from './json-exactness.js';
import { MAX_NESTING } from './value-path.js';

/** What a scan found: not plain data, plain for structured clone only, or plain and carried exactly by JSON too. */
export const Plain = { No: 0, CloneOnly: 1, Json: 2 } as const;
export type Plain = (typeof Plain)[keyof typeof Plain];

/**
 * Is this value plain data that structured clone carries exactly as it is,
 * and would JSON carry it exactly too? Most payloads are both, and then
 * encoding is free and the wire needs no second look. Read-only; any doubt
 * (a getter that throws, a cycle, too much to look at) answers "no" and
 * leaves the copying encoder, which tracks identity and names paths, to decide.
 *
 * Structured clone keeps shared references, so the scan keeps no set of
 * visited objects for that: a cycle runs into MAX_NESTING, and shared
 * references that would make the walk revisit too much run out of budget.
 * JSON would copy a shared object, so only while JSON is still possible
 * does the scan remember what it met.
 */
export function scanPlain(root: unknown, offload: boolean): Plain {
  if (typeof root !== 'object' || root === null) {
    if (!isPlainPrimitive(root, offload)) return Plain.No;
    return isJsonPrimitive(root) ? Plain.Json : Plain.CloneOnly;
  }
  const scan = new Scan(classifyContext(offload));
  try {
    if (!scan.object(root, 0)) return Plain.No;
  } catch {
    // A getter threw, or the stack ran out: the encoder will say where.
    return Plain.No;
  }
  return scan.seen !== undefined && SCAN_BUDGET - scan.budget <= JSON_BUDGET ? Plain.Json : Plain.CloneOnly;
}

function isPlainPrimitive(value: unknown, offload: boolean): boolean {
  switch (typeof value) {
    case 'function':
    case 'symbol':
      return false;
    case 'string':
      return !(offload && isLarge(value));
    default:
      return true;
  }
}

/** Objects plus entries a scan may visit before it hands over to the encoder. */
const SCAN_BUDGET = 20_000_000;

class Scan {
  budget = SCAN_BUDGET;
  /** The objects met so far, while JSON may still carry the value; undefined once it can't. */
  seen: Set<object> | undefined = new Set();

  constructor(private readonly context: ClassifyContext) {}

  object(obj: object, depth: number): boolean {
    if (!this.spend(1) || depth > MAX_NESTING) return false;
    if (this.seen !== undefined) {
      if (this.seen.has(obj)) this.seen = undefined;
      else this.seen.add(obj);
    }
    switch (classify(obj, this.context)) {
      case Kind.Record:
        return this.record(obj, depth);
      case Kind.Array:
        return this.array(obj as readonly unknown[], depth);
      case Kind.Map:
        this.seen = undefined;
        if (!this.spend((obj as Map<unknown, unknown>).size)) return false;
        for (const [k, v] of obj as Map<unknown, unknown>) if (!this.value(k, depth) || !this.value(v, depth)) return false;
        return true;
      case Kind.Set:
        this.seen = undefined;
        if (!this.spend((obj as Set<unknown>).size)) return false;
        for (const v of obj as Set<unknown>) if (!this.value(v, depth)) return false;
        return true;
      case Kind.NativeLeaf:
        this.seen = undefined;
        return true;
      default:
        return false;
    }
  }

  private record(obj: object, depth: number): boolean {
    const record = obj as Record<string, unknown>;
    const keys = Object.keys(record);
    if (!this.spend(keys.length)) return false;
    for (let i = 0; i < keys.length; i++) if (!this.value(record[keys[i]!], depth)) return false;
    return true;
  }

  /** Takes `n` objects or entries from the budget: false once it has run out; past JSON_BUDGET, JSON isn't worth checking for. */
  private spend(n: number): boolean {
    if ((this.budget -= n) < 0) return false;
    if (this.seen !== undefined && SCAN_BUDGET - this.budget > JSON_BUDGET) this.seen = undefined;
    return true;
  }

  /** The hottest loop of a plain payload: no callback per element, holes counted as in sparse-arrays.ts. */
  private array(array: readonly unknown[], depth: number): boolean {
    const length = array.length;
    if (this.seen !== undefined && SCAN_BUDGET - this.budget + length > JSON_BUDGET) this.seen = undefined;
    let holes = 0;
    let i = 0;
    for (; i < length; i++) {
      const value = array[i];
      if (typeof value === 'number') {
        if (this.seen !== undefined && !isJsonPrimitive(value)) this.seen = undefined;
      } else if (typeof value === 'object') {
        if (value !== null && !this.object(value, depth + 1)) return false;
      } else if (value === undefined) {
        this.seen = undefined; // JSON writes both undefined and a hole as null
        if (!(i in array) && mostlyHoles(++holes, i)) return this.indices(array, presentIndicesFrom(array, i + 1), depth);
      } else if (!this.primitive(value)) return false;
    }
    return (this.budget -= i - holes) >= 0;
  }

  private indices(array: readonly unknown[], indices: readonly number[], depth: number): boolean {
    if (!this.spend(indices.length)) return false;
    for (const index of indices) if (!this.value(array[index], depth)) return false;
    return true;
  }

  private value(value: unknown, depth: number): boolean {
    if (typeof value === 'object') return value === null || this.object(value, depth + 1);
    return this.primitive(value);
  }

  private primitive(value: unknown): boolean {
    if (this.seen !== undefined && !isJsonPrimitive(value)) this.seen = undefined;
    return isPlainPrimitive(value, this.context.offload);
  }
}
