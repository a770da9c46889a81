import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { decode } from '../codec/decode.js';
import { TAG } from '../codec/tags.js';
import { isObjectPrototype, isPlainObject } from './plain-object.js';

// jest runs the SDK in a vm context while Node rebuilds IPC messages in the main realm.
describe('values from another realm', () => {
  it('a plain object of another realm is plain; a class instance or array is not', () => {
    expect(isPlainObject(runInNewContext('({ a: 1 })'))).toBe(true);
    expect(isPlainObject(runInNewContext('Object.create(null)'))).toBe(true);
    expect(isPlainObject(runInNewContext('new (class A {})()'))).toBe(false);
    expect(isPlainObject(runInNewContext('[1]'))).toBe(false);
    expect(isObjectPrototype(runInNewContext('Object.prototype'))).toBe(true);
    expect(isObjectPrototype(runInNewContext('Array.prototype'))).toBe(false);
  });

  it('decode walks records, maps and sets of another realm and rebuilds the tags inside', () => {
    const v = runInNewContext(
      `({ list: [{ [T]: 'u', h: 'https://example.com/a' }], map: new Map([[1, { [T]: 'u', h: 'https://example.com/b' }]]) })`,
      { T: TAG },
    );
    const out = decode({ v, t: true }, 'result', { side: 'the parent' }) as { list: URL[]; map: Map<number, URL> };
    expect(out.list[0]).toBeInstanceOf(URL);
    expect(out.map.get(1)?.href).toBe('https://example.com/b');
  });
});
