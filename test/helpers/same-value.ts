import { expect } from 'vitest';

/**
 * Deep equality that also checks what `toStrictEqual` can't see: the
 * prototype of every object, -0, URL and Date contents, error stacks, holes,
 * and identity (an object met twice in `expected` must be one object in
 * `actual`, and two different objects must stay two).
 */
export function expectSameValue(actual: unknown, expected: unknown, path = 'value'): void {
  walk(actual, expected, path, new Map(), new Map());
}

function walk(actual: unknown, expected: unknown, path: string, seen: Map<object, unknown>, back: Map<unknown, object>): void {
  if (typeof expected !== 'object' || expected === null) {
    expect(Object.is(actual, expected), `${path}: got ${describe(actual)}, expected ${describe(expected)}`).toBe(true);
    return;
  }
  expect(typeof actual === 'object' && actual !== null, `${path}: got ${describe(actual)}, expected an object`).toBe(true);
  const got = actual as object;
  if (seen.has(expected)) {
    expect(got === seen.get(expected), `${path}: a shared reference came back as a copy`).toBe(true);
    return;
  }
  expect(back.has(got), `${path}: two different objects came back as one`).toBe(false);
  seen.set(expected, got);
  back.set(got, expected);
  expect(Object.getPrototypeOf(got), `${path}: prototype`).toBe(Object.getPrototypeOf(expected));

  if (expected instanceof URL) expect((got as URL).href, path).toBe(expected.href);
  if (expected instanceof Date) expect(Object.is((got as Date).getTime(), expected.getTime()), `${path}: time`).toBe(true);
  if (expected instanceof RegExp) expect([(got as RegExp).source, (got as RegExp).flags], path).toEqual([expected.source, expected.flags]);
  if (expected instanceof Error) {
    const err = got as Error;
    expect([err.name, err.message, err.stack], path).toEqual([expected.name, expected.message, expected.stack]);
    if ('cause' in expected) walk(err.cause, expected.cause, `${path}.cause`, seen, back);
    if (expected instanceof AggregateError) walk((err as AggregateError).errors, expected.errors, `${path}.errors`, seen, back);
  }
  if (expected instanceof Number || expected instanceof String || expected instanceof Boolean || expected instanceof BigInt) {
    expect(Object.is((got as Number).valueOf(), expected.valueOf()), `${path}: boxed value`).toBe(true);
  }
  if (ArrayBuffer.isView(expected) || expected instanceof ArrayBuffer) {
    expect(Buffer.from(bytesOf(got)).equals(Buffer.from(bytesOf(expected))), `${path}: bytes`).toBe(true);
  }
  if (expected instanceof Map) {
    const a = [...(got as Map<unknown, unknown>)];
    const e = [...expected];
    expect(a.length, `${path}: size`).toBe(e.length);
    e.forEach(([k, v], i) => {
      walk(a[i]?.[0], k, `${path}[key #${i}]`, seen, back);
      walk(a[i]?.[1], v, `${path}[value #${i}]`, seen, back);
    });
  }
  if (expected instanceof Set) {
    const a = [...(got as Set<unknown>)];
    const e = [...expected];
    expect(a.length, `${path}: size`).toBe(e.length);
    for (const [i, v] of e.entries()) walk(a[i], v, `${path}[item #${i}]`, seen, back);
  }
  if (Array.isArray(expected)) {
    const arr = got as unknown[];
    expect(arr.length, `${path}: length`).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) {
      expect(i in arr, `${path}[${i}]: hole`).toBe(i in expected);
      walk(arr[i], expected[i], `${path}[${i}]`, seen, back);
    }
    return;
  }
  if (ArrayBuffer.isView(expected)) return;
  const keys = Object.keys(expected);
  expect(Object.keys(got), `${path}: keys`).toEqual(keys);
  for (const key of keys)
    walk((got as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`, seen, back);
}

function bytesOf(value: object): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  const view = value as ArrayBufferView;
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function describe(value: unknown): string {
  if (typeof value === 'symbol' || typeof value === 'bigint') return `${String(value)}${typeof value === 'bigint' ? 'n' : ''}`;
  if (Object.is(value, -0)) return '-0';
  try {
    return typeof value === 'object' && value !== null
      ? `[object ${Object.getPrototypeOf(value)?.constructor?.name ?? 'null'}]`
      : String(value);
  } catch {
    return typeof value;
  }
}
