import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors/protocol-error.js';
import { SerializationError } from '../errors/serialization-error.js';
import { decode, type DecodeHooks } from './decode.js';
import { registerClass } from './register.js';
import { TAG } from './tags.js';

/*
 * What the other side sends may come from a child running anything: every
 * tag is checked on arrival, and a malformed one fails typed, with its path.
 */

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}
registerClass(Point, 'codec.test/Point');

const hooks: DecodeHooks = { side: 'the child' };

function decodeError(v: unknown, extra: Partial<DecodeHooks> = {}): unknown {
  try {
    decode({ v, t: true }, 'result', { ...hooks, ...extra });
  } catch (error) {
    return error;
  }
  throw new Error('decode did not fail');
}

describe('decode checks every tag from the other side', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['instance id not a string', { [TAG]: 'c', id: 5, p: null }, /malformed "c" tag: its id should be a string, got number 5/],
    ['instance props not an object', { [TAG]: 'c', id: 'codec.test/Point', p: null }, /its p should be a plain object, got null/],
    ['instance props an array', { [TAG]: 'c', id: 'codec.test/Point', p: [1] }, /its p should be a plain object, got an array/],
    ['error without message', { [TAG]: 'e', id: 'Error', r: 0, n: 'Error', p: {} }, /its m should be a string/],
    ['error with a bad class source', { [TAG]: 'e', id: 'Error', r: 7, n: 'Error', m: 'x', p: {} }, /its r should be a class source/],
    [
      'error with a bad cause box',
      { [TAG]: 'e', id: 'Error', r: 0, n: 'Error', m: 'x', p: {}, c: 'x' },
      /its c should be a one-element array/,
    ],
    [
      'error with bad hidden keys',
      { [TAG]: 'e', id: 'Error', r: 0, n: 'Error', m: 'x', p: {}, h: [1] },
      /its h should be an array of strings/,
    ],
    ['symbol without key', { [TAG]: 'y', g: true }, /its k should be a string/],
    ['url with an object href', { [TAG]: 'u', h: {} }, /its h should be a string, got an object/],
    ['url that does not parse', { [TAG]: 'u', h: 'not a url' }, /doesn't parse/],
    ['signal with a negative index', { [TAG]: 'a', i: -1 }, /its i should be an index/],
    ['escaped entries not pairs', { [TAG]: 'o', v: [['k']] }, /its v should be an array of \[key, value\] pairs/],
    ['blob without file', { [TAG]: 'b', k: 'Buffer' }, /its f should be a string, got nothing/],
    ['null-proto without props', { [TAG]: 'n', p: 3 }, /its p should be a plain object/],
    ['an unknown tag', { [TAG]: 'zz' }, /unknown tag "zz"/],
  ])('%s', (_name, tag, reason) => {
    const error = decodeError({ list: [1, tag] });
    expect(error).toBeInstanceOf(SerializationError);
    expect((error as SerializationError).path).toBe('result.list[1]');
    expect((error as SerializationError).reason).toMatch(reason);
  });

  it('a blob where no reader is given', () => {
    const error = decodeError([{ [TAG]: 'b', f: '/x', k: 'Buffer' }]) as SerializationError;
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.reason).toMatch(/large data is not expected here/);
  });

  it("passes the reader's own IsolatedCallError on unchanged", () => {
    const refused = new ProtocolError('the file is outside the blob folder');
    const error = decodeError(
      { b: { [TAG]: 'b', f: '/etc/passwd', k: 'string' } },
      {
        readBlob: () => {
          throw refused;
        },
      },
    );
    expect(error).toBe(refused);
  });

  it('wraps any other failure of the reader with the path', () => {
    const error = decodeError(
      { b: { [TAG]: 'b', f: '/gone', k: 'Float64Array' } },
      {
        readBlob: () => {
          throw new Error('ENOENT');
        },
      },
    ) as SerializationError;
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.path).toBe('result.b');
    expect(error.reason).toMatch(/could not be read: ENOENT/);
  });

  it('rebuilds blobs through the reader, as the type that was sent', () => {
    const bytes = Buffer.from(new Float64Array([1.5, 2.5]).buffer);
    const out = decode(
      {
        v: [
          { [TAG]: 'b', f: 'f1', k: 'Float64Array' },
          { [TAG]: 'b', f: 'f2', k: 'string' },
        ],
        t: true,
      },
      'result',
      {
        ...hooks,
        readBlob: (file, asString) => (asString ? `text of ${file}` : bytes),
      },
    ) as [Float64Array, string];
    expect(out[0]).toBeInstanceOf(Float64Array);
    expect([...out[0]]).toEqual([1.5, 2.5]);
    expect(out[1]).toBe('text of f2');
  });
});
