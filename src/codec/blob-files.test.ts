import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, linkSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BLOB_FILE_NAME, readBlobFile, unlinkOwn, writeBlobFile } from './blob-files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blob-files-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('blob files', () => {
  it('are written exclusively under <pid>-<16 hex>, mode 0600, and read back', () => {
    const path = writeBlobFile(dir, 'héllo');
    expect(path.slice(dir.length + 1)).toMatch(BLOB_FILE_NAME);
    expect(path.slice(dir.length + 1).startsWith(`${process.pid}-`)).toBe(true);
    expect(lstatSync(path).mode & 0o777).toBe(0o600);
    expect(readBlobFile(path, true)).toBe('héllo');
    expect(readBlobFile(writeBlobFile(dir, Buffer.from([1, 2, 3])), false)).toEqual(Buffer.from([1, 2, 3]));
  });

  it('consume deletes the name as soon as the file is open', () => {
    const path = writeBlobFile(dir, Buffer.alloc(10, 7));
    expect(readBlobFile(path, false, true)).toEqual(Buffer.alloc(10, 7));
    expect(existsSync(path)).toBe(false);
  });

  it('a FIFO is refused at once, never waited on', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const started = performance.now();
    expect(() => readBlobFile(fifo, false)).toThrow(/not a regular file/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a symlink is not followed, a hard link is refused', () => {
    const target = join(dir, 'target');
    writeFileSync(target, 'secret');
    symlinkSync(target, join(dir, 'sym'));
    expect(() => readBlobFile(join(dir, 'sym'), true)).toThrow(/ELOOP/);
    linkSync(target, join(dir, 'hard'));
    expect(() => readBlobFile(join(dir, 'hard'), true, true)).toThrow(/2 names/);
    expect(existsSync(join(dir, 'hard'))).toBe(true); // refused before consuming
  });

  it.runIf(process.getuid?.() === 0)('a file of another uid is refused (as root: chowned to nobody)', () => {
    const file = join(dir, 'theirs');
    writeFileSync(file, 'x');
    chownSync(file, 65534, 65534);
    expect(() => readBlobFile(file, true)).toThrow(/owned by uid 65534/);
  });

  it('deleting our own name where a link now stands removes only the link', () => {
    // Names are random, but even a link planted under the exact name is refused.
    const target = join(dir, 'target');
    writeFileSync(target, 'keep');
    const path = writeBlobFile(dir, 'x');
    rmSync(path);
    symlinkSync(target, path);
    expect(() => unlinkOwn([path])).not.toThrow(); // deleting our own name only removes the link
    expect(existsSync(target)).toBe(true);
  });
});
