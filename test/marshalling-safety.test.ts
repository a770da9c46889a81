import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from 'isolated-call';
import { loadFixture } from './helpers/fixtures.js';

afterAll(() => shutdown());

const HOSTILE = '{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 2}}, "nested": [{"__proto__": {"polluted": 3}}]}';
const TAG = '\u0000ic'; // the codec's tag key (src/codec/tags.ts)

let fx: Record<string, any>;
beforeAll(async () => {
  fx = await loadFixture('tc39', 'safety');
});

function expectNotPolluted(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
}

/** `__proto__` and `constructor` came back as own data properties, prototypes untouched. */
function expectKeysStayedData(value: Record<string, any>): void {
  expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  expect(Object.hasOwn(value, '__proto__')).toBe(true);
  expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: 1 });
  expect(value.constructor).toEqual({ prototype: { polluted: 2 } });
  expect(Object.hasOwn(value.nested[0], '__proto__')).toBe(true);
  expect(Object.getPrototypeOf(value.nested[0])).toBe(Object.prototype);
  expect(value.polluted).toBeUndefined();
}

describe('safety: __proto__ and constructor keys stay data', () => {
  it.each([
    ['plain (no-work path)', () => ({})],
    ['beside tagged values (copying pass)', () => ({ url: new URL('https://example.com/'), point: new fx.shapes.Point(1, 2) })],
    ['inside an object that has the tag key', () => ({ [TAG]: 'c', id: 'Point', p: {} })],
  ])('as an argument: %s', async (_name, extra) => {
    const arg = Object.assign(JSON.parse(HOSTILE), extra());
    const seen = await new fx.Probe().inspect(arg);
    expect(seen.ownProto).toBe(true);
    expect(seen.prototypeIsObject).toBe(true);
    expect(seen.pollution).toEqual([undefined, undefined, false]); // in the child
    expectKeysStayedData(seen.value);
    expectNotPolluted();
  });

  it.each([false, true])('as a result (tagged: %s)', async (tagged) => {
    const value = await new fx.Probe().hostile(tagged);
    expectKeysStayedData(value);
    if (tagged) {
      expect(value.point).toBeInstanceOf(fx.shapes.Point);
      expect(Object.getOwnPropertyDescriptor(value.point, '__proto__')?.value).toEqual({ polluted: 4 });
      expectKeysStayedData(value.map.get('k'));
      expect(value.error).toBeInstanceOf(Error);
      expect(Object.getOwnPropertyDescriptor(value.error, '__proto__')?.value).toEqual({ polluted: 5 });
    }
    expectNotPolluted();
  });

  it('a class instance with an own `constructor` data property still crosses as its class', async () => {
    const point = Object.defineProperty(new fx.shapes.Point(3, 4), 'constructor', {
      value: 'just data',
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const { value } = await new fx.Probe().inspect({ point });
    expect(value.point).toBeInstanceOf(fx.shapes.Point);
    expect(value.point.norm()).toBe(5);
    expect(Object.getOwnPropertyDescriptor(value.point, 'constructor')?.value).toBe('just data');
  });
});
