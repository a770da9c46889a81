import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { kDefaultOptions, kDefaultProcessOptions, kOptionTable } from '../options/table.js';
import { resolveOptions, resolveProcessOptions } from '../options/resolve.js';
import type { ProcessOptions } from '../options/types.js';
import { processDefaults } from './process-defaults.js';

import { invalid, resolveBad } from './invalid-option.test-helper.js';
describe('defaults', () => {
  it('resolveOptions() with no layer gives every documented default', () => {
    const resolved = resolveOptions();
    expect({ ...resolved }).toEqual({
      module: undefined,
      id: undefined,
      execArgv: [],
      env: {},
      timeout: 0,
      attemptTimeout: 0,
      maxOldSpaceSize: undefined,
      grace: 1000,
      classes: [],
      sendThis: true,
      keepAlive: 0,
      standby: false,
      concurrency: availableParallelism(),
      maxQueue: Infinity,
      maxMessageBytes: 256 * 1024 * 1024,
      streamAhead: 1024,
      streamAheadBytes: 16 * 1024 * 1024,
      maxCallsPerChild: Infinity,
      maxChildRss: Infinity,
      maxRss: Infinity,
      retries: 0,
      inspect: false,
      onCallEnd: undefined,
    });
    expect({ ...kDefaultOptions }).toEqual({ ...resolved });
  });

  it('resolved options are frozen and have a null prototype', () => {
    const resolved = resolveOptions({ execArgv: ['--x'], env: { A: '1' } });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.getPrototypeOf(resolved)).toBe(null);
    expect(Object.isFrozen(resolved.execArgv)).toBe(true);
    expect(Object.isFrozen(resolved.env)).toBe(true);
    expect(Object.isFrozen(kDefaultOptions)).toBe(true);
  });

  it("maxChildren's default is the one the process state starts with", () => {
    expect(kDefaultProcessOptions.maxChildren).toBe(Math.max(4, 2 * availableParallelism()));
    expect(kDefaultProcessOptions.maxChildren).toBe(processDefaults().maxChildren);
    expect('maxChildren' in kDefaultOptions).toBe(false);
  });

  it('every default passes its own validator unchanged', () => {
    for (const [name, spec] of Object.entries(kOptionTable)) {
      if (spec.default === undefined) continue;
      expect((spec.check as (v: unknown, n: string) => unknown)(spec.default, name), name).toEqual(spec.default);
    }
  });
});

describe('layers', () => {
  it('a later layer wins option by option; undefined leaves the earlier value', () => {
    const first = { timeout: 1, grace: 5, env: { A: '1' } };
    const resolved = resolveOptions(first, undefined, { timeout: 2, grace: undefined, env: { B: '2' } });
    expect(resolved.timeout).toBe(2);
    expect(resolved.grace).toBe(5);
    expect({ ...resolved.env }).toEqual({ B: '2' }); // replaced as a whole, not merged
  });

  it("configure()'s defaults are layered under a decorator's", () => {
    const { defaults } = resolveProcessOptions({ timeout: 100, keepAlive: 50, maxChildren: 3 });
    const resolved = resolveOptions(defaults, { timeout: 200 });
    expect(resolved.timeout).toBe(200);
    expect(resolved.keepAlive).toBe(50);
  });

  it('values are copied: changing the caller’s arrays and objects afterwards changes nothing', () => {
    const execArgv = ['--a'];
    const env: Record<string, string> = { A: '1' };
    const { defaults } = resolveProcessOptions({ execArgv, env });
    execArgv.push('--b');
    env.A = '2';
    const resolved = resolveOptions(defaults);
    expect(resolved.execArgv).toEqual(['--a']);
    expect(resolved.env.A).toBe('1');
  });

  it('module: a file URL becomes its href; paths are kept', () => {
    expect(resolveOptions({ module: new URL('file:///srv/app/a.js') }).module).toBe('file:///srv/app/a.js');
    expect(resolveOptions({ module: '/srv/app/a.js' }).module).toBe('/srv/app/a.js');
    expect(resolveOptions({ module: 'C:\\app\\a.js' }).module).toBe('C:\\app\\a.js');
  });

  it('accepts the edge values', () => {
    const edges = { maxQueue: 0, retries: 0, inspect: 0, grace: 0, concurrency: Infinity, maxOldSpaceSize: 1, attemptTimeout: 1 };
    const resolved = resolveOptions(edges);
    expect(resolved).toMatchObject({ maxQueue: 0, inspect: 0, concurrency: Infinity, maxOldSpaceSize: 1, attemptTimeout: 1 });
  });
});

describe('validation messages', () => {
  const fn = () => {};
  const cases: [Record<string, unknown>, string, string][] = [
    [{ timeout: Number.NaN }, 'timeout', 'expected a number >= 0, got NaN'],
    [{ timeout: '5' }, 'timeout', 'expected a number >= 0, got "5"'],
    [{ attemptTimeout: -1 }, 'attemptTimeout', 'expected a number >= 0, got -1'],
    [{ grace: -5 }, 'grace', 'expected a number >= 0, got -5'],
    [{ keepAlive: -1 }, 'keepAlive', 'expected a number >= 0, got -1'],
    [{ maxOldSpaceSize: 0 }, 'maxOldSpaceSize', 'expected a number >= 1, got 0'],
    [{ maxOldSpaceSize: 100.5 }, 'maxOldSpaceSize', 'expected a whole number, got 100.5'],
    [{ maxOldSpaceSize: Infinity }, 'maxOldSpaceSize', 'expected a whole number, got Infinity'],
    [{ concurrency: 0 }, 'concurrency', 'expected a number >= 1, got 0'],
    [{ concurrency: 1.5 }, 'concurrency', 'expected a whole number, got 1.5'],
    [{ maxQueue: -1 }, 'maxQueue', 'expected a number >= 0, got -1'],
    [{ maxQueue: 2.5 }, 'maxQueue', 'expected a whole number, got 2.5'],
    [{ maxCallsPerChild: 0 }, 'maxCallsPerChild', 'expected a number >= 1, got 0'],
    [{ maxChildRss: 0 }, 'maxChildRss', 'expected a number >= 1, got 0'],
    [{ maxRss: 31 }, 'maxRss', 'expected a whole number of MB, at least 32 (or Infinity for no limit), got 31'],
    [{ maxRss: 64.5 }, 'maxRss', 'expected a whole number of MB, at least 32 (or Infinity for no limit), got 64.5'],
    [{ maxRss: '64' }, 'maxRss', 'expected a whole number of MB, at least 32 (or Infinity for no limit), got "64"'],
    [{ retries: -1 }, 'retries', 'expected a number >= 0, got -1'],
    [{ retries: 0.5 }, 'retries', 'expected a whole number, got 0.5'],
    [{ standby: 'yes' }, 'standby', 'expected true or false, got "yes"'],
    [{ sendThis: 1 }, 'sendThis', 'expected true or false, got 1'],
    [{ id: '' }, 'id', 'expected a non-empty string, got ""'],
    [{ id: 5 }, 'id', 'expected a non-empty string, got 5'],
    [{ execArgv: '--inspect' }, 'execArgv', 'expected an array of strings, got "--inspect"'],
    [{ execArgv: ['--a', 1] }, 'execArgv', 'expected an array of strings, got an array'],
    [{ env: 'A=1' }, 'env', 'expected an object, got "A=1"'],
    [{ env: ['A'] }, 'env', 'expected an object, got an array'],
    [{ env: { A: 1 } }, 'env', 'env.A must be a string, got 1'],
    [{ classes: fn }, 'classes', 'expected an array of classes, got a value of type function'],
    [{ classes: [class A {}, 'B'] }, 'classes', 'classes[1] is "B", not a class'],
    [{ inspect: 'yes' }, 'inspect', 'expected true, false or a port number, got "yes"'],
    [{ inspect: 70000 }, 'inspect', 'expected true, false or a port number, got 70000'],
    [{ inspect: -1 }, 'inspect', 'expected true, false or a port number, got -1'],
    [{ onCallEnd: 'log' }, 'onCallEnd', 'expected a function, got "log"'],
    [{ module: 'relative/a.js' }, 'module', 'expected an absolute path or a file: URL, got "relative/a.js"'],
    [{ module: '' }, 'module', 'expected a path or file URL, got ""'],
    [{ module: 42 }, 'module', 'expected a path or file URL, got 42'],
    [{ module: null }, 'module', 'expected a path or file URL, got null'],
  ];

  it.each(cases)('%o: names %s and says what was expected and what came', (options, option, message) => {
    for (const action of [() => resolveBad(options), () => resolveProcessOptions(options as ProcessOptions)]) {
      const error = invalid(action);
      expect(error.option).toBe(option);
      expect(error.message).toBe(`Invalid isolated-call option "${option}": ${message}`);
    }
  });

  it('a long string is cut short in the message', () => {
    const error = invalid(() => resolveBad({ id: 5, timeout: 'x'.repeat(500) }));
    expect(error.message.length).toBeLessThan(200);
  });

  it('the options themselves must be an object', () => {
    for (const [value, came] of [
      [null, 'null'],
      ['fast', '"fast"'],
      [[], 'an array'],
      [5, '5'],
    ] as const) {
      const error = invalid(() => resolveOptions(value as never));
      expect(error.option).toBe('options');
      expect(error.message).toContain(`expected an object of options, got ${came}`);
    }
  });
});

describe('unknown options', () => {
  it('an unknown name throws, with a suggestion when only case or dashes differ', () => {
    const error = invalid(() => resolveBad({ keepalive: 1000 }));
    expect(error.option).toBe('keepalive');
    expect(error.message).toBe('Invalid isolated-call option "keepalive": is not an option of isolated-call (did you mean "keepAlive"?)');
    expect(invalid(() => resolveBad({ max_queue: 1 })).message).toContain('(did you mean "maxQueue"?)');
    expect(invalid(() => resolveBad({ speed: 1 })).message).toBe('Invalid isolated-call option "speed": is not an option of isolated-call');
  });

  it("names of Object.prototype's members are not options", () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(invalid(() => resolveBad({ [name]: 1 })).option).toBe(name);
    }
    // An own __proto__ key, as JSON.parse makes it.
    expect(invalid(() => resolveBad(JSON.parse('{"__proto__": {"timeout": 5}}'))).option).toBe('__proto__');
  });
});

describe('prototype pollution', () => {
  const proto = Object.prototype as Record<string, unknown>;
  afterEach(() => {
    for (const name of ['timeout', 'maxChildren', 'execArgv', 'A']) delete proto[name];
  });

  it('inherited properties are ignored, in the options and in env', () => {
    proto.timeout = 5;
    proto.maxChildren = 1;
    proto.execArgv = ['--inspect'];
    proto.A = 'polluted';
    const resolved = resolveOptions({}, { grace: 1 });
    expect(resolved.timeout).toBe(0);
    expect(resolved.execArgv).toEqual([]);
    const configured = resolveProcessOptions({ env: { B: '1' } });
    expect('maxChildren' in configured).toBe(false);
    expect(Object.keys(configured.defaults)).toEqual(['env']);
    expect(Object.keys(resolveOptions(configured.defaults).env)).toEqual(['B']);
    expect(resolveOptions(configured.defaults).env.A).toBeUndefined();
  });
});
