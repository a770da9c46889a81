import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { SerializationError } from '../errors/serialization-error.js';
import { decode, type DecodeHooks } from './decode.js';
import { encode } from './encode.js';
import { registerClass } from './register.js';
import { TAG, type Encoded } from './tags.js';

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}
registerClass(Point, 'codec.test/Point');

const hooks: DecodeHooks = { side: 'the child' };

/** Encodes, carries through structured clone as the IPC channel does, decodes. */
function roundTrip(value: unknown, root = 'args'): unknown {
  const encoded = encode(value, root);
  return decode(deserialize(serialize(encoded)) as Encoded, root, hooks);
}

function encodeError(value: unknown): SerializationError {
  try {
    encode(value, 'args');
  } catch (error) {
    expect(error).toBeInstanceOf(SerializationError);
    return error as SerializationError;
  }
  throw new Error('encode did not fail');
}

describe('encode/decode round trips', () => {
  it('sends plain data as it is, with nothing to decode', () => {
    const value = { a: [1, 'x', null, undefined], m: new Map([[1, new Set([2])]]), d: new Date(0) };
    expect(encode(value, 'args')).toEqual({ v: value, t: false });
  });

  it('rebuilds class instances, errors, URLs, symbols and null-prototype objects', () => {
    const shared = new Point(3, 4);
    const nullProto = Object.assign(Object.create(null) as object, { k: shared });
    const cause = new RangeError('inner');
    const error = Object.assign(new TypeError('outer', { cause }), { code: 'E_X' });
    const out = roundTrip({ p: shared, again: shared, nullProto, error, url: new URL('https://e.com/a'), sym: Symbol.for('s') }) as Record<
      string,
      any
    >;
    expect(out.p).toBeInstanceOf(Point);
    expect(out.p.norm()).toBe(5);
    expect(out.again).toBe(out.p);
    expect(Object.getPrototypeOf(out.nullProto)).toBeNull();
    expect(out.nullProto.k).toBe(out.p);
    expect(out.error).toBeInstanceOf(TypeError);
    expect(out.error.code).toBe('E_X');
    expect(out.error.cause).toBeInstanceOf(RangeError);
    expect(out.url.href).toBe('https://e.com/a');
    expect(out.sym).toBe(Symbol.for('s'));
  });

  it('keeps cycles through tagged values', () => {
    const p = new Point(1, 2) as Point & { self?: unknown };
    p.self = { back: p };
    const out = roundTrip(p) as Point & { self: { back: unknown } };
    expect(out.self.back).toBe(out);
  });

  it('escapes user objects that have the tag key', () => {
    const value = { [TAG]: 'c', id: 'codec.test/Point', p: { x: 1 } };
    expect(roundTrip([value, new Point(0, 0)])).toEqual([value, new Point(0, 0)]);
  });

  it('walks sparse arrays by what they hold, on both sides', () => {
    const array: unknown[] = [];
    array[2 ** 32 - 2] = new Point(1, 1);
    array[7] = 'x';
    const started = performance.now();
    const out = roundTrip([array]) as unknown[][];
    expect(performance.now() - started).toBeLessThan(2000);
    expect(out[0]!.length).toBe(2 ** 32 - 1);
    expect(out[0]![7]).toBe('x');
    expect(out[0]![2 ** 32 - 2]).toBeInstanceOf(Point);
    expect(Object.keys(out[0]!)).toEqual(['7', String(2 ** 32 - 2)]);
  });
});

describe('encode refuses, with a path, before anything is sent', () => {
  it('a Proxy', () => {
    const error = encodeError([{ list: new Proxy({ a: 1 }, {}) }]);
    expect(error.path).toBe('args[0].list');
    expect(error.reason).toMatch(/Proxy/);
  });

  it('a revoked Proxy', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(encodeError({ p: proxy }).path).toBe('args.p');
  });

  it('a getter that throws, keeping its error as the cause', () => {
    const boom = new Error('no access');
    const value = {
      ok: 1,
      get secret(): never {
        throw boom;
      },
    };
    const error = encodeError([value]);
    expect(error.path).toBe('args[0].secret');
    expect(error.cause).toBe(boom);
    expect(error.reason).toMatch(/no access/);
  });

  it('a getter that throws inside a class instance', () => {
    class Guarded {
      get value(): never {
        throw new TypeError('guarded');
      }
    }
    registerClass(Guarded, { identifier: 'codec.test/Guarded', allowProps: ['value'] });
    expect(encodeError({ g: new Guarded() }).path).toBe('args.g.value');
  });

  it.each([3_000, 10_000])('nesting %i levels deep', (levels) => {
    let value: Record<string, unknown> = {};
    const root = value;
    for (let i = 0; i < levels; i++) value = value.a = {};
    const error = encodeError(root);
    expect(error.path).toMatch(/^args\.a\.a\.a.*more levels.*\.a$/);
    // Past MAX_NESTING, or where the stack ran out first (a deep caller, such as a test runner).
    expect(error.reason).toMatch(/nested (more than 1500 levels|too deeply to walk)/);
  });

  it('nesting that structured clone still rebuilds is sent', () => {
    let value: unknown[] = [];
    const root = value;
    for (let i = 0; i < 1_400; i++) value.push((value = []));
    expect(roundTrip(root)).toEqual(root);
  });

  it.each([
    ['a Uint8Array', () => new Uint8Array(new SharedArrayBuffer(8)), /Uint8Array over a SharedArrayBuffer.*Uint8Array\.from/],
    ['a DataView', () => new DataView(new SharedArrayBuffer(8)), /DataView over a SharedArrayBuffer/],
    ['a bare SharedArrayBuffer', () => new SharedArrayBuffer(8), /SharedArrayBuffer/],
  ])('%s over shared memory', (_name, make, reason) => {
    const error = encodeError({ data: [make()] });
    expect(error.path).toBe('args.data[0]');
    expect(error.reason).toMatch(reason);
  });
});
