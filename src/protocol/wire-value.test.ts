import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectCallbacks } from '../codec/callback-tag.js';
import { encode } from '../codec/encode.js';
import { knownJsonExactness } from '../codec/json-exactness.js';
import { registerClass } from '../codec/register.js';
import { Plain, scanPlain } from '../codec/scan.js';
import { isJsonExact, packEncoded, unpackValue } from './wire-value.js';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
registerClass(Point, 'wire-value.test/Point');

/** What the other side gets: the envelope through JSON, then unpacked. */
function overTheWire(v: unknown): unknown {
  const sent = JSON.parse(JSON.stringify(packEncoded({ v, t: false })));
  return unpackValue(sent.v, sent.p === true);
}

describe('the wire form of an encoded value', () => {
  it.each([
    ['a string', 'hé\u{1F600}\uD800'],
    ['numbers', [0, 1.5, -2, Number.MAX_SAFE_INTEGER]],
    ['nested records and arrays', { a: [1, { b: 'c', d: [true, false, null] }], __proto__key: { x: 1 } }],
    ['an own __proto__ key', JSON.parse('{"__proto__": {"polluted": true}}')],
    ['an empty object and array', { a: {}, b: [] }],
  ])('%s goes as JSON', (_, value) => {
    expect(isJsonExact(value)).toBe(true);
    expect(packEncoded({ v: value, t: false }).p).toBeUndefined();
    expect(overTheWire(value)).toEqual(value);
  });

  const shared = { s: 1 };
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  it.each([
    ['undefined', undefined],
    ['undefined in a record', { a: undefined }],
    ['an array hole', [1, , 3]],
    ['NaN', Number.NaN],
    ['-0', -0],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['a bigint', 10n],
    ['a Date', new Date(0)],
    ['a Map', new Map([[1, 2]])],
    ['a typed array', new Uint8Array([1, 2])],
    ['a shared reference', [shared, shared]],
  ])('%s is packed and arrives exactly', (_, value) => {
    expect(isJsonExact(value)).toBe(false);
    expect(packEncoded({ v: value, t: false }).p).toBe(true);
    expect(overTheWire(value)).toStrictEqual(value);
  });

  it('a cycle is packed and arrives as a cycle', () => {
    const back = overTheWire(cyclic) as Record<string, unknown>;
    expect(back.self).toBe(back);
  });

  it('a shared reference stays shared', () => {
    const back = overTheWire([shared, shared]) as unknown[];
    expect(back[0]).toBe(back[1]);
  });

  it('the file list and tag flag ride along when packed', () => {
    expect(packEncoded({ v: 1n, t: true, f: ['/x'] })).toMatchObject({ t: true, f: ['/x'], p: true });
  });

  it('a packed value that is not text, or not V8 data, throws', () => {
    expect(() => unpackValue(42, true)).toThrow(/not base64 text/);
    expect(() => unpackValue('bm90IHY4', true)).toThrow();
  });

  it("the codec's scan settles JSON too: a plain value is walked once before it leaves", () => {
    let reads = 0;
    const counted = {
      get x() {
        reads++;
        return 1;
      },
    };
    // Once by the scan; a packed value once more, by V8's serializer (JSON's happens when the message is sent).
    for (const [value, walks] of [
      [{ counted }, 1],
      [{ counted, when: new Date(0) }, 2],
      [[counted, undefined], 2],
      [[{ counted }, new Point(1, 2)], 2], // the scan, then the copying encoder
      [[new Point(1, 2), { counted }], 1], // the scan stops at the instance
    ] as const) {
      reads = 0;
      packEncoded(encode(value, 'args'));
      expect(reads).toBe(walks);
    }
  });

  it("the scan's JSON answer is the wire's own check, for any plain value", () => {
    const shared = { s: 1 };
    const values = fc.oneof(
      fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true }),
      fc.constant([shared, shared]),
    );
    fc.assert(
      fc.property(values, (value) => {
        const plain = scanPlain(value, false);
        if (plain !== Plain.No) expect(plain === Plain.Json).toBe(isJsonExact(value));
      }),
      { numRuns: 500 },
    );
  });

  it("the encoder's JSON answer, when it gives one, is the wire's own check of its copy", () => {
    const point = new Point(1, 0.5);
    const fn = () => 1;
    const odd = fc.constantFrom<unknown>(-0, Number.NaN, undefined, 1n, new Date(0), [1, , 2], [point, point], [fn, fn], new Error('x'));
    const anything = fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true });
    const values = fc.tuple(fc.constant(new Point(2, 3)), fc.oneof(anything, odd), fc.oneof(anything, odd));
    fc.assert(
      fc.property(values, (value) => {
        const encoded = encode(value, 'args', { callbacks: collectCallbacks() });
        const known = knownJsonExactness(encoded);
        if (known !== undefined) expect(known).toBe(isJsonExact(encoded.v));
      }),
      { numRuns: 500 },
    );
  });
});
