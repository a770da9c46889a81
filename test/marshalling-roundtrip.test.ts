import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerializationError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { flavors, loadFixture, type Flavor } from './helpers/fixtures.js';
import { expectSameValue } from './helpers/same-value.js';

afterAll(() => shutdown());

/** The codec's tag key (src/codec/tags.ts): user data that uses it must stay data. */
const TAG = '\u0000ic';

type Fixtures = { echo: Record<string, any>; shapes: Record<string, any> };

async function load(flavor: Flavor): Promise<Fixtures> {
  const echo = await loadFixture(flavor, 'echo');
  return { echo, shapes: echo.shapes };
}

/** Values structured clone carries by itself: they take the codec's no-work path. */
function plainCases(): Record<string, unknown> {
  const shared = { shared: true };
  const cycle: Record<string, unknown> = { name: 'loop' };
  cycle.self = cycle;
  const holes = new Array(5);
  holes[3] = 'x';
  return {
    date: new Date(1_700_000_000_123),
    invalidDate: new Date(Number.NaN),
    map: new Map<unknown, unknown>([
      ['a', 1],
      [{ k: 1 }, new Set([1])],
    ]),
    set: new Set([1, 'two', 3n, null]),
    bigint: 2n ** 70n,
    negativeBigint: -(2n ** 65n),
    regexp: /a+(b|c)\s/gimsuy,
    undefined: undefined,
    null: null,
    nan: Number.NaN,
    infinity: Infinity,
    negativeInfinity: -Infinity,
    negativeZero: -0,
    sparse: [1, , 3], // eslint-disable-line no-sparse-arrays
    holes,
    undefinedInArray: [undefined, 1, undefined],
    undefinedInObject: { a: undefined, b: 1 },
    sharedReferences: { a: shared, b: shared, list: [shared, shared], map: new Map([[shared, shared]]) },
    cycle,
    boxed: [new String('s'), new Number(-0), new Boolean(false)],
    string: 'ünïcødé \u0000 \ud83d\ude00',
    emptyThings: [{}, [], new Map(), new Set(), ''],
  };
}

/** Values that need tags: errors, symbols, URLs, class instances, custom types. */
function taggedCases({ echo, shapes }: Fixtures): Record<string, unknown> {
  const { Point, Vec, Money, colour } = shapes;
  const point = new Point(3, 4);
  const vec = new Vec([1, 2, 3]);
  vec.self = vec; // a cycle through a class instance
  const nullProto = Object.assign(Object.create(null), { a: 1, nested: Object.assign(Object.create(null), { b: [2] }) });
  const typeError = new TypeError('bad input', { cause: new RangeError('too big') });
  const withProps = Object.assign(new Error('with props'), { code: 'E_FAIL', details: { at: new Date(0), point } });
  const tagLike = { [TAG]: 'c', id: 'Point', p: { x: 1 } };
  return {
    error: new Error('plain'),
    errorWithCause: typeError,
    errorWithProps: withProps,
    errorsInArray: [new SyntaxError('s'), new URIError('u')],
    aggregateError: new AggregateError([new Error('a'), new TypeError('b')], 'many'),
    boxedBigint: Object(7n),
    url: new URL('https://user@example.com:8080/a/b?c=d&e=f#g'),
    urlInMap: new Map([['home', new URL('file:///tmp/x')]]),
    symbolFor: Symbol.for('marshalling.test'),
    registeredSymbol: colour,
    symbolsNested: { list: [Symbol.for('a'), colour], map: new Map([[Symbol.for('key'), colour]]) },
    nullProto,
    tagKey: tagLike,
    tagKeyNested: {
      list: [tagLike],
      map: new Map([[tagLike, { [TAG]: 'e' }]]),
      inNull: Object.assign(Object.create(null), { [TAG]: 'n' }),
    },
    decoratedClass: new echo.Echo(),
    point,
    pointsNested: {
      list: [new Point(1, 2), point],
      map: new Map([[new Point(0, 0), point]]),
      set: new Set([new Point(5, 5)]),
      object: { deep: { p: point } },
    },
    registeredClass: vec,
    custom: new Money(12_345n, 'EUR'),
    customNested: [new Map([['price', new Money(1n, 'USD')]])],
    sharedThroughTags: { a: point, b: point, url: [new URL('https://x.test/')] },
  };
}

/** What the fixture reports the child saw: the constructor name of each value. */
function kind(value: unknown): string {
  if (value === null || typeof value !== 'object') return typeof value;
  const proto = Object.getPrototypeOf(value);
  return proto === null ? 'null-prototype' : proto.constructor?.name;
}

function kinds(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.keys(values).map((k) => [k, kind(values[k])]));
}

describe.each(flavors)('round trip (%s build)', (flavor) => {
  let fx: Fixtures;
  beforeAll(async () => {
    fx = await load(flavor);
  });

  it('carries every plain value kind unchanged (function form, no-work path)', async () => {
    const cases = plainCases();
    const back = await fx.echo.echoFn(cases);
    for (const name of Object.keys(cases)) expectSameValue(back[name], cases[name], name);
    expect(back).toStrictEqual(cases);
  });

  it('carries errors, symbols, URLs, registered classes and custom types, with prototypes', async () => {
    const cases = { ...plainCases(), ...taggedCases(fx) };
    const { values, seen } = await new fx.echo.Echo().echoAll(cases);
    expect(seen).toEqual(kinds(cases)); // the child saw the same types
    for (const name of Object.keys(cases)) expectSameValue(values[name], cases[name], name);
    expect(values.pointsNested.object.deep.p.norm()).toBe(5);
    expect(values.registeredClass.sum()).toBe(6);
    expect(values.custom.format()).toBe('12345 EUR');
    expect(values.registeredSymbol).toBe(fx.shapes.colour);
  });

  it('sends only allowProps of a class registered with options, under its identifier', async () => {
    const { Session } = fx.shapes;
    const back = await fx.echo.echoFn([new Session('ann', 'secret')]);
    expect(back[0]).toBeInstanceOf(Session);
    expect(back[0]).toEqual({ user: 'ann' });
    expect(Object.keys(back[0])).toEqual(['user']);
  });

  if (flavor === 'legacy') {
    it('registers parameter classes from design:paramtypes (emitDecoratorMetadata + reflect-metadata)', async () => {
      const { Tagged } = fx.shapes;
      const back = await new fx.echo.Echo().relabel(new Tagged('hi'));
      expect(back).toBeInstanceOf(Tagged);
      expect(back.label).toBe('HI!');
    });
  } else {
    it('without decorator metadata, a parameter class must be registered (fails before forking)', async () => {
      const { Tagged } = fx.shapes;
      const error = await caught(new fx.echo.Echo().relabel(new Tagged('hi')));
      expect(error).toBeInstanceOf(SerializationError);
      expect(error.path).toBe('args[0]');
      expect(error.message).toMatch(/class Tagged/);
    });
  }
});
