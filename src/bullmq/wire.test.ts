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
  test('a well-formed job passes; a field the SDK never writes, in the data or its target, is refused', () => {
    expect(parseJobData(good)).toEqual(good);
    expect(parseJobData({ ...good, maxRss: 64 })).toEqual({ ...good, maxRss: 64 });
    expect(parseJobData({ ...good, target: { ...good.target, extra: 'x' } })).toMatch(/target has a field isolated-call never writes/);
    expect(parseJobData({ ...good, note: 'x' })).toMatch(/data has a field isolated-call never writes/);
  });

  test.each([
    ['not an object', 'job', /not an object/],
    ['another version', { ...good, isolatedCall: 2 }, /version/],
    ['no target', { ...good, target: null }, /no target/],
    ['an unknown kind', { ...good, target: { ...good.target, kind: 'eval' } }, /malformed/],
    ['no method', { ...good, target: { ...good.target, method: '' } }, /no method/],
    ['too many signals', { ...good, signals: 1e9 }, /signal/],
    ['a negative timeout', { ...good, timeout: -1 }, /timeout/],
    ['a fractional timeout', { ...good, timeout: 1.5 }, /timeout/],
    ['a method on a function', { ...good, target: { module: 'a.js', owner: 'f', kind: 'function', method: 'call' } }, /method/],
    ['a module name of 5000 characters', { ...good, target: { ...good.target, module: 'a'.repeat(5000) } }, /malformed/],
    ['an array', [good], /not an object/],
    ['an infinite limit', { ...good, maxPayloadBytes: Infinity }, /limit/],
    ['a maxRss under 32 MB', { ...good, maxRss: 31 }, /maxRss/],
    ['a fractional maxRss', { ...good, maxRss: 64.5 }, /maxRss/],
    ['a maxRss as text', { ...good, maxRss: '64' }, /maxRss/],
    ['an infinite maxRss', { ...good, maxRss: Infinity }, /maxRss/],
  ])('refused: %s', (_, data, why) => {
    expect(parseJobData(data)).toMatch(why);
  });

  test('a payload that names blob files, or is not an encoded call, is refused', () => {
    expect(parsePayload(pack({ args: { v: [], t: true, f: ['/etc/passwd'] } }))).toMatch(/not an encoded call/);
    expect(parsePayload(pack({ args: { v: 'AAAA', t: true, p: true } }))).toMatch(/not an encoded call/);
    expect(parsePayload(pack({ args: { v: [], t: false }, extra: 1 }))).toMatch(/not an encoded call/);
    expect(parsePayload(pack({ args: 1 }))).toMatch(/not an encoded call/);
    expect(parsePayload('%%%')).toMatch(/can't be read|not an encoded call/);
    expect(parsePayload(good.payload)).toEqual({ self: { v: {}, t: false }, args: { v: [1], t: false } });
  });
});
