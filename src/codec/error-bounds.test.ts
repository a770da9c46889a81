import { describe, expect, it } from 'vitest';
import { decode } from './decode.js';
import { encode } from './encode.js';
import { MAX_ERROR_TEXT, MAX_ERROR_TEXT_TOTAL, MAX_ERRORS, cutText } from './error-bounds.js';

describe('cutText', () => {
  it('leaves a text within the limit as it is', () => {
    expect(cutText('abc', 3)).toBe('abc');
  });

  it('cuts past the limit and says how much went', () => {
    expect(cutText('abcdef', 2)).toBe('ab… [cut 4 characters by isolated-call]');
  });

  it('never leaves half of a surrogate pair', () => {
    expect(cutText('a😀b', 2)).toBe('a… [cut 3 characters by isolated-call]');
  });
});

describe('a thrown value, encoded and decoded', () => {
  const roundTrip = (thrown: unknown) => decode(encode(thrown, 'error', { thrown: true }), 'error', { side: 'test', errorBounds: true });

  it('many long messages share the total: past it, each is cut to its note', () => {
    const text = 'y'.repeat(MAX_ERROR_TEXT);
    const thrown = new AggregateError(
      Array.from({ length: 12 }, () => Object.assign(new Error(text), { stack: 'short' })),
      'top',
    );
    const errors = (roundTrip(thrown) as AggregateError).errors as Error[];
    const kept = errors.map((e) => (e.message.indexOf('…') === -1 ? e.message.length : e.message.indexOf('…')));
    expect(kept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(MAX_ERROR_TEXT_TOTAL);
    expect(errors.at(-1)!.message).toBe(`… [cut ${MAX_ERROR_TEXT.toLocaleString('en-US')} characters by isolated-call]`);
  });

  it('errors in a property past the bound all become the one shared note', () => {
    const thrown = { list: Array.from({ length: MAX_ERRORS + 50 }, (_, i) => new Error(`e${i}`)) };
    const { list } = roundTrip(thrown) as { list: Error[] };
    expect(list).toHaveLength(MAX_ERRORS + 50);
    expect(list[MAX_ERRORS - 1]!.message).toBe(`e${MAX_ERRORS - 1}`);
    expect(list[MAX_ERRORS]!.message).toMatch(/^\[cut by isolated-call: at most 1,000 errors/);
    expect(list[MAX_ERRORS + 49]).toBe(list[MAX_ERRORS]);
  });

  it('a value that is not thrown is not cut', () => {
    const error = decode(encode(new Error('z'.repeat(MAX_ERROR_TEXT + 10)), 'result'), 'result', { side: 'test' }) as Error;
    expect(error.message).toHaveLength(MAX_ERROR_TEXT + 10);
  });
});
