import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateBytes } from './estimate-bytes.js';

describe('estimateBytes', () => {
  it.each([
    ['a number', 1, 8],
    ['a string, 2 bytes per character', 'abcd', 8],
    ['binary data, its length', new Uint8Array(1000), 1000],
    ['an ArrayBuffer', new ArrayBuffer(64), 64],
    ['an object: 8, keys and values', { ab: 1 }, 8 + 4 + 8],
    ['an array: 8 and its items', [1, 'x'], 8 + 8 + 2],
    ['a Map', new Map([['k', 1]]), 8 + 2 + 8],
  ])('%s', (_, value, bytes) => {
    expect(estimateBytes({ v: value, t: false })).toBe(bytes);
  });

  it('counts a shared object once, and survives a cycle', () => {
    const shared: Record<string, unknown> = { n: 1 };
    shared.self = shared;
    expect(estimateBytes({ v: [shared, shared], t: true })).toBe(8 + (8 + 2 + 8 + 8 + 8) + 8);
  });

  it('adds the size of each file beside the message', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ic-estimate-')), 'blob');
    writeFileSync(file, Buffer.alloc(5000));
    expect(estimateBytes({ v: 'x', t: true, f: [file] })).toBe(5000 + 2);
  });
});
