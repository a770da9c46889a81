import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStringFile, writeStringFile } from './string-files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'string-files-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function roundTrip(text: string): string {
  const path = join(dir, 'text');
  const out = openSync(path, 'w');
  writeStringFile(out, text);
  closeSync(out);
  // Buffer#equals: toEqual compares a megabyte byte by byte through its diffing machinery (seconds).
  expect(readFileSync(path).equals(Buffer.from(text, 'utf16le'))).toBe(true);
  const fd = openSync(path, 'r');
  try {
    return readStringFile(fd, Buffer.byteLength(text, 'utf16le'));
  } finally {
    closeSync(fd);
  }
}

describe('strings in blob files', () => {
  it('round-trip across chunk boundaries, surrogate pairs and lone surrogates included', () => {
    // 131072 UTF-16 units per chunk: put a pair across the first boundary.
    const text = `${'a'.repeat(131071)}😀${'é'.repeat(300_000)}\ud800${'z'.repeat(5)}`;
    expect(roundTrip(text)).toBe(text);
    expect(roundTrip('')).toBe('');
    expect(roundTrip('x'.repeat(131072 * 2))).toBe('x'.repeat(131072 * 2));
  });

  it('a file shorter than its stated size fails, naming how far it got', () => {
    const path = join(dir, 'short');
    writeFileSync(path, Buffer.from('abc', 'utf16le'));
    const fd = openSync(path, 'r');
    try {
      expect(() => readStringFile(fd, 10)).toThrow('it ended after 6 of 10 bytes');
    } finally {
      closeSync(fd);
    }
  });
});
