import { describe, expect, test } from 'vitest';
import { JOB_VERSION, pack, parseJobData, parsePayload } from './wire.js';

const good = {
  isolatedCall: JOB_VERSION,
  label: 'Pdf.render',
  target: { module: 'dist/pdf.js', owner: 'Pdf', kind: 'instance', method: 'render' },
  payload: pack({ self: { v: {}, t: false }, args: { v: [1], t: false } }),
  signals: 0,
  timeout: 0,
  maxPayloadBytes: 1024,
};

describe('job data is untrusted input to the worker', () => {
  test('a well-formed job passes, with only the target fields it knows', () => {
    const parsed = parseJobData({ ...good, target: { ...good.target, extra: 'x' } });
    expect(parsed).toMatchObject({ label: 'Pdf.render', target: good.target });
    expect((parsed as { target: object }).target).not.toHaveProperty('extra');
  });

  test.each([
    ['not an object', 'job', /not an object/],
    ['another version', { ...good, isolatedCall: 2 }, /version/],
    ['no target', { ...good, target: null }, /no target/],
    ['an unknown kind', { ...good, target: { ...good.target, kind: 'eval' } }, /malformed/],
    ['no method', { ...good, target: { ...good.target, method: '' } }, /no method/],
    ['too many signals', { ...good, signals: 1e9 }, /signal/],
    ['a negative timeout', { ...good, timeout: -1 }, /timeout/],
    ['an infinite limit', { ...good, maxPayloadBytes: Infinity }, /limit/],
  ])('refused: %s', (_, data, why) => {
    expect(parseJobData(data)).toMatch(why);
  });

  test('a payload that names payload files, or is not an encoded call, is refused', () => {
    expect(parsePayload(pack({ args: { v: [], t: true, f: ['/etc/passwd'] } }))).toMatch(/names files/);
    expect(parsePayload(pack({ args: 1 }))).toMatch(/not an encoded call/);
    expect(parsePayload('%%%')).toMatch(/can't be read|not an encoded call/);
    expect(parsePayload(good.payload)).toEqual({ self: { v: {}, t: false }, args: { v: [1], t: false } });
  });
});
