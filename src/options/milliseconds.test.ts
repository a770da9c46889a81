import { describe, expect, it } from 'vitest';
import { resolveOptions } from './resolve.js';
import { invalid, resolveBad } from './invalid-option.test-helper.js';

describe('millisecond options (timeout, attemptTimeout, grace, keepAlive)', () => {
  const names = ['timeout', 'attemptTimeout', 'grace', 'keepAlive'] as const;

  it('Infinity is no limit: 0 for the timeouts, kept as Infinity for grace and keepAlive', () => {
    const resolved = resolveOptions({ timeout: Infinity, attemptTimeout: Infinity, grace: Infinity, keepAlive: Infinity });
    expect(resolved).toMatchObject({ timeout: 0, attemptTimeout: 0, grace: Infinity, keepAlive: Infinity });
  });

  it.each(names)('%s: up to 2^31 - 1 ms, the longest a timer holds, is taken as it is', (name) => {
    expect(resolveOptions({ [name]: 2 ** 31 - 1 })[name]).toBe(2 ** 31 - 1);
  });

  it.each(names.flatMap((name) => [2 ** 31, 1e15].map((ms) => [name, ms] as const)))(
    '%s: %d ms is refused, naming Infinity as the way to say no limit',
    (name, ms) => {
      const error = invalid(() => resolveBad({ [name]: ms }));
      expect(error.option).toBe(name);
      expect(error.message).toContain(`expected at most 2147483647 ms (about 24.8 days, the longest a timer holds), got ${ms}`);
      expect(error.message).toContain('use Infinity for no limit');
    },
  );

  it('Infinity for timeout with a finite attemptTimeout is fine (the attempt bound is the shorter one)', () => {
    expect(resolveOptions({ timeout: Infinity, attemptTimeout: 500 })).toMatchObject({ timeout: 0, attemptTimeout: 500 });
  });
});
