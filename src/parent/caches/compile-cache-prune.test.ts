import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_COMPILE_CACHE_BYTES, pruneCompileCache } from './compile-cache-prune.js';

const MB = 1024 * 1024;
const DAY = 24 * 3_600_000;
const current = `v${process.versions.node}-x64-0a1b2c3d-0`;
let folder = '';
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** A cache entry of `mb` MB (sparse: no real space), last written `ageMs` ago. */
function entry(sub: string, name: string, mb: number, ageMs: number): string {
  mkdirSync(join(folder, sub), { recursive: true });
  const path = join(folder, sub, name);
  writeFileSync(path, '');
  truncateSync(path, mb * MB);
  const when = new Date(Date.now() - ageMs);
  utimesSync(path, when, when);
  return path;
}

describe('pruneCompileCache', () => {
  it('removes the oldest entries until the folder is well under its bound', () => {
    folder = mkdtempSync(join(tmpdir(), 'ic-prune-'));
    expect(MAX_COMPILE_CACHE_BYTES).toBe(64 * MB);
    const paths = [0, 1, 2, 3, 4].map((i) => entry(current, `e${i}`, 20, (10 - i) * 60_000));
    pruneCompileCache(folder);
    // 100 MB: the three oldest go (down to 48 MB or less), the two newest stay.
    expect(paths.map((p) => existsSync(p))).toEqual([false, false, false, true, true]);
  });

  it('leaves a folder under its bound alone', () => {
    folder = mkdtempSync(join(tmpdir(), 'ic-prune-'));
    const paths = [0, 1, 2].map((i) => entry(current, `e${i}`, 20, i * 60_000));
    pruneCompileCache(folder);
    expect(paths.every((p) => existsSync(p))).toBe(true);
  });

  it("removes another Node version's subfolder untouched for a week, and only that", () => {
    folder = mkdtempSync(join(tmpdir(), 'ic-prune-'));
    entry('v20.0.0-x64-11111111-0', 'old', 1, 8 * DAY);
    entry('v21.0.0-x64-22222222-0', 'recent', 1, DAY);
    entry(current, 'old-but-current', 1, 30 * DAY);
    pruneCompileCache(folder);
    expect(readdirSync(folder).sort()).toEqual(['.isolated-call-pruned', current, 'v21.0.0-x64-22222222-0'].sort());
  });

  it('prunes at most once an hour (a stamp file), and follows no link', () => {
    folder = mkdtempSync(join(tmpdir(), 'ic-prune-'));
    const outside = mkdtempSync(join(tmpdir(), 'ic-prune-outside-'));
    try {
      writeFileSync(join(outside, 'theirs'), '');
      const theirs = new Date(Date.now() - 30 * DAY);
      utimesSync(join(outside, 'theirs'), theirs, theirs);
      symlinkSync(outside, join(folder, 'v1.0.0-x64-33333333-0'));
      pruneCompileCache(folder);
      expect(existsSync(join(outside, 'theirs'))).toBe(true);

      const paths = [0, 1, 2, 3].map((i) => entry(current, `e${i}`, 20, (10 - i) * 60_000));
      pruneCompileCache(folder);
      expect(paths.every((p) => existsSync(p))).toBe(true);
      pruneCompileCache(folder, Date.now() + 2 * 3_600_000);
      expect(paths.map((p) => existsSync(p))).toEqual([false, false, true, true]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
