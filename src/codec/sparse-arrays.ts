/**
 * Walks the elements an array actually holds. `new Array(1e8)` with two
 * elements set, or `a[2 ** 32 - 2] = 1`, has a length far above what it
 * holds: walking 0..length would take seconds to minutes for nothing. V8
 * gives no cheap "is this sparse" test, so the walk counts holes as it goes
 * and, once they outnumber both the elements seen and HOLES_BEFORE_KEYS,
 * switches to the own keys of the array (cost proportional to what is there;
 * integer keys come in ascending order).
 */

/** Holes a walk tolerates before it asks for the array's keys instead. */
const HOLES_BEFORE_KEYS = 1024;

/**
 * Should a walk that has met `holes` holes by index `index` stop stepping
 * through indices and use `presentIndicesFrom(array, index + 1)` instead?
 */
export function mostlyHoles(holes: number, index: number): boolean {
  return holes > HOLES_BEFORE_KEYS && holes * 2 > index;
}

/** The array's present indices from `from` on, ascending, at a cost proportional to how many there are. */
export function presentIndicesFrom(array: readonly unknown[], from: number): number[] {
  const length = array.length;
  const out: number[] = [];
  for (const key of Object.keys(array)) {
    const index = arrayIndex(key);
    // Index keys come first, ascending; the first other key ends them.
    if (index === undefined || index >= length) break;
    if (index >= from) out.push(index);
  }
  return out;
}

/** The array index a key names (canonical form, below 2**32 - 1), if it names one. */
function arrayIndex(key: string): number | undefined {
  const index = Number(key);
  return Number.isInteger(index) && index >= 0 && index < 2 ** 32 - 1 && String(index) === key ? index : undefined;
}
