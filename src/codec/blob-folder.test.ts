import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkFolder, folderProblem, makeFolder } from './blob-folder.js';
import { sweepDeadFolders } from './sweep-dead-folders.js';

const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'blob-folder-test-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('makeFolder', () => {
  it('makes a 0700 folder of this uid even under a permissive umask', () => {
    const old = process.umask(0);
    try {
      const path = makeFolder(base);
      expect(lstatSync(path).mode & 0o7777).toBe(0o700);
      expect(folderProblem(path)).toBeUndefined();
    } finally {
      process.umask(old);
    }
  });

  it('never adopts an existing entry of the chosen name: a planted folder means another random name', () => {
    const names = ['planted', 'planted', 'fresh'];
    mkdirSync(join(base, 'planted'), { mode: 0o777 });
    if (asRoot) chownSync(join(base, 'planted'), NOBODY, NOBODY);
    const path = makeFolder(base, () => names.shift()!);
    expect(path).toBe(join(base, 'fresh'));
    expect(readdirSync(join(base, 'planted'))).toEqual([]);
  });

  it('a planted symlink under the chosen name is not followed either', () => {
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(base, 'link'));
    const names = ['link', 'fresh'];
    expect(makeFolder(base, () => names.shift()!)).toBe(join(base, 'fresh'));
  });
});

describe('folderProblem / checkFolder', () => {
  it('names each way a folder stops being ours', () => {
    const dir = join(base, 'd');
    expect(folderProblem(dir)).toMatch(/does not exist/);
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o777);
    expect(folderProblem(dir)).toMatch(/has mode 0777, not 0700/);
    chmodSync(dir, 0o700);
    expect(folderProblem(dir)).toBeUndefined();
    symlinkSync(dir, join(base, 'l'));
    expect(folderProblem(join(base, 'l'))).toMatch(/symbolic link/);
    writeFileSync(join(base, 'f'), '');
    expect(folderProblem(join(base, 'f'))).toMatch(/not a directory/);
    expect(() => checkFolder(join(base, 'l'))).toThrow(
      expect.objectContaining({ code: 'ERR_ISOLATED_TEMP_FOLDER', path: join(base, 'l') }),
    );
  });

  it.runIf(asRoot)('a folder of another uid is refused (as root: one chowned to nobody)', () => {
    const dir = join(base, 'd');
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, NOBODY, NOBODY);
    expect(folderProblem(dir)).toMatch(/owned by uid 65534/);
  });
});

describe('sweepDeadFolders', () => {
  const dead = 2 ** 22 + 12345; // above the default pid_max of most systems: no such process

  it("removes a dead parent's folder and its files, without following links", () => {
    const target = join(base, 'target');
    writeFileSync(target, 'keep me');
    const folder = join(base, `isolated-call-${dead}-00aa`);
    mkdirSync(folder, { mode: 0o700 });
    writeFileSync(join(folder, `${dead}-0123456789abcdef`), 'x'.repeat(1000));
    symlinkSync(target, join(folder, 'link'));
    sweepDeadFolders(base, 'isolated-call-');
    expect(existsSync(folder)).toBe(false);
    expect(existsSync(target)).toBe(true);
  });

  it('leaves folders of live parents, links, and other names alone', () => {
    const live = join(base, `isolated-call-${process.pid}-00aa`);
    const linked = join(base, `isolated-call-${dead}-00bb`);
    const other = join(base, `not-ours-${dead}-00cc`);
    mkdirSync(live);
    mkdirSync(other);
    symlinkSync(live, linked);
    sweepDeadFolders(base, 'isolated-call-');
    expect([existsSync(live), lstatSync(linked).isSymbolicLink(), existsSync(other)]).toEqual([true, true, true]);
  });

  it.runIf(asRoot)("leaves a dead parent's folder that belongs to another uid", () => {
    const folder = join(base, `isolated-call-${dead}-00dd`);
    mkdirSync(folder);
    chownSync(folder, NOBODY, NOBODY);
    sweepDeadFolders(base, 'isolated-call-');
    expect(existsSync(folder)).toBe(true);
  });
});
