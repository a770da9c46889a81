import { describe, expect, it } from 'vitest';
import { mostlyHoles, presentIndicesFrom } from './sparse-arrays.js';

// The walk each codec walker inlines (they keep their own loops to spend one stack frame per level).
/**
 * Calls `visit(value, index)` for each present index in ascending order;
 * holes are skipped. Stops and returns false as soon as `visit` returns false.
 */
function everyPresent<T>(array: readonly T[], visit: (value: T, index: number) => boolean): boolean {
  const length = array.length;
  let holes = 0;
  for (let i = 0; i < length; i++) {
    const value = array[i]!;
    if (value === undefined && !(i in array)) {
      if (mostlyHoles(++holes, i)) {
        for (const index of presentIndicesFrom(array, i + 1)) if (!visit(array[index]!, index)) return false;
        return true;
      }
      continue;
    }
    if (!visit(value, i)) return false;
  }
  return true;
}

function indices(array: readonly unknown[]): number[] {
  const out: number[] = [];
  everyPresent(array, (_v, i) => out.push(i) > 0);
  return out;
}

describe('present indices', () => {
  it('visits a dense array in order, undefined elements included', () => {
    expect(indices([1, undefined, 3])).toEqual([0, 1, 2]);
  });

  it('skips holes', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(indices([1, , 3, , , 6])).toEqual([0, 2, 5]);
  });

  it('walks a huge sparse array by what it holds, in ascending order', () => {
    const array: number[] = [];
    array[2 ** 32 - 2] = 3;
    array[5] = 1;
    array[1e8] = 2;
    (array as unknown as Record<string, unknown>).extra = 'not an index';
    const started = performance.now();
    expect(indices(array)).toEqual([5, 1e8, 2 ** 32 - 2]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('switches to keys only past the first run of holes, and misses nothing', () => {
    const array: number[] = [];
    for (let i = 0; i < 5000; i += 3) array[i] = i; // dense enough: walked index by index
    array[1_000_000] = 1;
    const expected = [...Array.from({ length: 1667 }, (_, k) => k * 3), 1_000_000];
    expect(indices(array)).toEqual(expected);
  });

  it('lists the indices from a point on, leaving other keys out', () => {
    const array: number[] = [];
    array[3] = 1;
    array[9] = 2;
    (array as unknown as Record<string, unknown>)['-1'] = 'not an index';
    expect(presentIndicesFrom(array, 4)).toEqual([9]);
  });

  it('stops when the visitor says so', () => {
    let seen = 0;
    expect(everyPresent([1, 2, 3], () => ++seen < 2)).toBe(false);
    expect(seen).toBe(2);
  });
});
