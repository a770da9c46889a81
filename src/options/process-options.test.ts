import { describe, expect, it } from 'vitest';
import { CallTimeoutError } from '../errors/call-timeout-error.js';
import { IsolatedCallError } from '../errors/isolated-call-error.js';
import { QueueFullError } from '../errors/queue-full-error.js';
import { resolveOptions, resolveProcessOptions } from '../options/resolve.js';
import { configure } from '../parent/pool/pool-api.js';
import { processDefaults } from './process-defaults.js';

import { invalid, resolveBad } from './invalid-option.test-helper.js';

describe('maxChildren, a process-wide option', () => {
  it('is rejected by @Isolated() and isolate(), with the fix', () => {
    const error = invalid(() => resolveBad({ maxChildren: 2 }));
    expect(error.option).toBe('maxChildren');
    expect(error.message).toContain('pass it to configure()');
  });

  it('resolveProcessOptions() splits it from the method defaults', () => {
    const configured = resolveProcessOptions({ maxChildren: 2, timeout: 5 });
    expect(configured.maxChildren).toBe(2);
    expect({ ...configured.defaults }).toEqual({ timeout: 5 });
    expect(Object.getPrototypeOf(configured.defaults)).toBe(null);
    expect(Object.isFrozen(configured.defaults)).toBe(true);
    expect('maxChildren' in resolveProcessOptions({ timeout: 5 })).toBe(false);
    expect(resolveProcessOptions({ maxChildren: Infinity }).maxChildren).toBe(Infinity);
  });

  it.each([
    [0, 'expected a number >= 1, got 0'],
    [Number.NaN, 'expected a number >= 1, got NaN'],
    [2.5, 'expected a whole number, got 2.5'],
    ['4', 'expected a number >= 1, got "4"'],
  ])('maxChildren: %s is invalid', (value, message) => {
    const error = invalid(() => resolveProcessOptions({ maxChildren: value as number }));
    expect(error.option).toBe('maxChildren');
    expect(error.message).toBe(`Invalid isolated-call option "maxChildren": ${message}`);
  });

  it('configure() sets it and the defaults, and leaves both alone when an option is bad', () => {
    const state = processDefaults();
    const before = state.maxChildren;
    try {
      configure({ maxChildren: 3, timeout: 7 });
      expect(state.maxChildren).toBe(3);
      expect({ ...state.defaults }).toEqual({ timeout: 7 });
      const version = state.defaultsVersion;
      expect(invalid(() => configure({ maxChildren: 9, timeout: -1 })).option).toBe('timeout');
      expect(invalid(() => configure({ maxChildren: 0 })).option).toBe('maxChildren');
      expect(state.maxChildren).toBe(3);
      expect({ ...state.defaults }).toEqual({ timeout: 7 });
      expect(state.defaultsVersion).toBe(version);
      configure({});
      expect(state.maxChildren).toBe(3); // stays until a configure() names it
      expect({ ...state.defaults }).toEqual({});
    } finally {
      configure({ maxChildren: before });
    }
  });
});

describe('contradictions written together', () => {
  it('a fixed inspector port with concurrency > 1', () => {
    const error = invalid(() => resolveOptions({ inspect: 9230, concurrency: 2 }));
    expect(error.option).toBe('inspect');
    expect(error.message).toContain('concurrency is 2');
    expect(error.message).toContain('inspect: true');
    expect(invalid(() => resolveProcessOptions({ inspect: 9230, concurrency: 4 })).option).toBe('inspect');
  });

  it('a fixed inspector port with standby', () => {
    const error = invalid(() => resolveOptions({ inspect: 9230, standby: true }));
    expect(error.message).toContain('standby');
  });

  it('attemptTimeout longer than timeout', () => {
    const error = invalid(() => resolveOptions({ timeout: 1000, attemptTimeout: 5000 }));
    expect(error.option).toBe('attemptTimeout');
    expect(error.message).toContain('attemptTimeout (5000 ms) is longer than timeout (1000 ms)');
  });

  it('are allowed when they make sense, or come from different layers', () => {
    expect(() => resolveOptions({ inspect: true, concurrency: 4, standby: true })).not.toThrow();
    expect(() => resolveOptions({ inspect: 0, concurrency: 4 })).not.toThrow();
    expect(() => resolveOptions({ inspect: 9230, concurrency: 1 })).not.toThrow();
    expect(() => resolveOptions({ timeout: 0, attemptTimeout: 5000 })).not.toThrow();
    expect(() => resolveOptions({ timeout: 5000, attemptTimeout: 5000 })).not.toThrow();
    expect(() => resolveOptions({ inspect: 9230 }, { concurrency: 4 })).not.toThrow();
    expect(() => resolveOptions({ timeout: 1000 }, { attemptTimeout: 5000 })).not.toThrow();
    // Pointless without keepAlive, but allowed.
    expect(() => resolveOptions({ maxCallsPerChild: 1, maxChildRss: 100 })).not.toThrow();
  });
});

describe('QueueFullError', () => {
  it('has its code and limit, and names the method, the limit and the fix', () => {
    const error = new QueueFullError('Report.render', 10);
    expect(error).toBeInstanceOf(IsolatedCallError);
    expect(error.code).toBe('ERR_ISOLATED_QUEUE_FULL');
    expect(error.name).toBe('QueueFullError');
    expect(error.maxQueue).toBe(10);
    expect(error.pid).toBeUndefined();
    expect(error.message).toContain('Report.render');
    expect(error.message).toContain('maxQueue: 10');
    expect(error.message).toContain('Raise maxQueue');
    expect(error.message).toBe(
      'Report.render was rejected without running: 10 calls were already waiting for a child (maxQueue: 10). ' +
        'Raise maxQueue or concurrency, or slow down the callers.',
    );
    expect(new QueueFullError('f', 1).message).toContain('1 call was already waiting');
    expect(new QueueFullError('f', 0).message).toContain('with maxQueue: 0 calls never wait');
  });
});

describe('CallTimeoutError', () => {
  it('names the limit that ran out', () => {
    expect(new CallTimeoutError('Report.render', 1000, 42).message).toBe(
      'Report.render did not finish within its timeout of 1000 ms; its child (pid 42) was killed. ' +
        'Raise the timeout option if the work needs longer.',
    );
    const attempt = new CallTimeoutError('Report.render', 500, 42, 'attemptTimeout');
    expect(attempt.timeout).toBe(500);
    expect(attempt.code).toBe('ERR_ISOLATED_TIMEOUT');
    expect(attempt.message).toBe(
      'An attempt of Report.render ran longer than its attemptTimeout of 500 ms and was not retried; its child (pid 42) was killed. ' +
        'Raise the attemptTimeout option if the work needs longer.',
    );
  });
});
