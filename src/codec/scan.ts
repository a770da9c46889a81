import { Kind, classify, classifyContext, isLarge, type ClassifyContext } from './classify.js';
import { mostlyHoles, presentIndicesFrom } from './present-indices.js';
import { MAX_NESTING } from './value-path.js';

/**
 * Is this value plain data that structured clone carries exactly as it is?
 * Most payloads are, and then encoding is free. Read-only; any doubt (a
 * getter that throws, a cycle, too much to look at) answers "no" and leaves
 * the copying encoder, which tracks identity and names paths, to decide.
 *
 * The scan keeps no set of visited objects: on the tree-shaped data most
 * calls carry, that set costs as much as the walk. A cycle runs into
 * MAX_NESTING, and a value whose shared references would make the walk
 * revisit too much runs out of budget.
 */
export function isPlainData(root: unknown, offload: boolean): boolean {
  if (typeof root !== 'object' || root === null) return isPlainPrimitive(root, offload);
  const scan = new Scan(classifyContext(offload));
  try {
    return scan.object(root, 0);
  } catch {
    // A getter threw, or the stack ran out: the encoder will say where.
    return false;
  }
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
  private budget = SCAN_BUDGET;

  constructor(private readonly context: ClassifyContext) {}

  object(obj: object, depth: number): boolean {
    if (--this.budget < 0 || depth > MAX_NESTING) return false;
    switch (classify(obj, this.context)) {
      case Kind.Record:
        return this.record(obj, depth);
      case Kind.Array:
        return this.array(obj as readonly unknown[], depth);
      case Kind.Map:
        if ((this.budget -= (obj as Map<unknown, unknown>).size) < 0) return false;
        for (const [k, v] of obj as Map<unknown, unknown>) if (!this.value(k, depth) || !this.value(v, depth)) return false;
        return true;
      case Kind.Set:
        if ((this.budget -= (obj as Set<unknown>).size) < 0) return false;
        for (const v of obj as Set<unknown>) if (!this.value(v, depth)) return false;
        return true;
      case Kind.NativeLeaf:
        return true;
      default:
        return false;
    }
  }

  private record(obj: object, depth: number): boolean {
    const record = obj as Record<string, unknown>;
    const keys = Object.keys(record);
    if ((this.budget -= keys.length) < 0) return false;
    for (let i = 0; i < keys.length; i++) if (!this.value(record[keys[i]!], depth)) return false;
    return true;
  }

  /** The hottest loop of a plain payload: no callback per element, holes counted as in present-indices.ts. */
  private array(array: readonly unknown[], depth: number): boolean {
    const length = array.length;
    let holes = 0;
    let i = 0;
    for (; i < length; i++) {
      const value = array[i];
      if (typeof value === 'number') continue;
      if (typeof value === 'object') {
        if (value !== null && !this.object(value, depth + 1)) return false;
      } else if (value === undefined) {
        if (!(i in array) && mostlyHoles(++holes, i)) return this.indices(array, presentIndicesFrom(array, i + 1), depth);
      } else if (!isPlainPrimitive(value, this.context.offload)) return false;
    }
    return (this.budget -= i - holes) >= 0;
  }

  private indices(array: readonly unknown[], indices: readonly number[], depth: number): boolean {
    if ((this.budget -= indices.length) < 0) return false;
    for (const index of indices) if (!this.value(array[index], depth)) return false;
    return true;
  }

  private value(value: unknown, depth: number): boolean {
    if (typeof value === 'object') return value === null || this.object(value, depth + 1);
    return isPlainPrimitive(value, this.context.offload);
  }
}
