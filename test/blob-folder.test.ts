import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';

afterAll(() => shutdown());

const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const MiB = 1024 * 1024;

let fx: Record<string, any>;
const warnings: Error[] = [];
const onWarning = (warning: Error) => {
  if ((warning as { code?: string }).code === 'ISOLATED_CALL_TEMP_FOLDER') warnings.push(warning);
};
beforeAll(async () => {
  fx = await loadFixture('tc39', 'bulk');
  process.on('warning', onWarning);
  await new fx.Bulk().digest(Buffer.alloc(10)); // the first call makes the folder
});
afterAll(() => process.off('warning', onWarning));

/** The folder the parent uses now: the private one among this process's. */
function currentFolder(): string {
  const mine = readdirSync('/dev/shm')
    .filter((name) => /^isolated-call-\d+-[0-9a-f]+$/.test(name) && name.startsWith(`isolated-call-${process.pid}-`))
    .map((name) => `/dev/shm/${name}`)
    .filter((path) => {
      const stats = lstatSync(path);
      return stats.isDirectory() && stats.uid === process.getuid!() && (stats.mode & 0o7777) === 0o700;
    });
  expect(mine).toHaveLength(1);
  return mine[0]!;
}

/** A 2 MiB argument goes beside the message; its digest proves it arrived intact. */
async function bigCall(): Promise<void> {
  const big = fx.pattern(2 * MiB, 5);
  expect((await new fx.Bulk().digest(big)).sha256).toBe(fx.sha256(big));
}

/**
 * The first call after tampering either already runs through a new folder
 * (the periodic check saw it) or is refused with TempFolderError (its write
 * checked first); either way nothing is written to the tampered folder, and
 * the next call runs through a new private one.
 */
async function bigCallsAfterTampering(): Promise<void> {
  try {
    await bigCall();
  } catch (error) {
    expect((error as { code?: string }).code, String(error)).toBe('ERR_ISOLATED_TEMP_FOLDER');
  }
  await bigCall();
}

/** As root, what another local user would own; otherwise still a folder this test made. */
function plantAsAnotherUser(path: string): void {
  if (asRoot) chownSync(path, NOBODY, NOBODY);
}

describe.runIf(existsSync('/dev/shm'))('the blob folder, tampered with while the parent lives', () => {
  it('replaced by a 0777 folder of another user: never written to; the call goes through a new private folder', async () => {
    const folder = currentFolder();
    renameSync(folder, `${folder}.moved`);
    mkdirSync(folder);
    chmodSync(folder, 0o777);
    plantAsAnotherUser(folder);
    try {
      const before = warnings.length;
      await bigCallsAfterTampering();
      expect(readdirSync(folder)).toEqual([]);
      expect(warnings.length).toBe(before + 1);
      expect(warnings.at(-1)!.message).toMatch(asRoot ? /owned by uid 65534/ : /has mode 0777/);
      expect(currentFolder()).not.toBe(folder);
    } finally {
      rmSync(folder, { recursive: true, force: true });
      rmSync(`${folder}.moved`, { recursive: true, force: true });
    }
  });

  it('replaced by a symlink to a folder elsewhere: not followed', async () => {
    const folder = currentFolder();
    const elsewhere = `/dev/shm/isolated-call-test-elsewhere-${process.pid}`;
    mkdirSync(elsewhere, { mode: 0o700 });
    plantAsAnotherUser(elsewhere);
    renameSync(folder, `${folder}.moved`);
    symlinkSync(elsewhere, folder);
    try {
      await bigCallsAfterTampering();
      expect(readdirSync(elsewhere)).toEqual([]);
      expect(warnings.at(-1)!.message).toMatch(/symbolic link/);
    } finally {
      rmSync(folder, { force: true });
      rmSync(elsewhere, { recursive: true, force: true });
      rmSync(`${folder}.moved`, { recursive: true, force: true });
    }
  });

  it('symlinks planted under the old predictable names <pid>-<n> are never written through', async () => {
    const folder = currentFolder();
    const target = `/dev/shm/isolated-call-test-target-${process.pid}`;
    writeFileSync(target, 'must stay');
    plantAsAnotherUser(target);
    const links = Array.from({ length: 10 }, (_, i) => `${folder}/${process.pid}-${i + 1}`);
    for (const link of links) symlinkSync(target, link);
    try {
      await bigCall();
      await bigCall();
      expect(readFileSync(target, 'utf8')).toBe('must stay');
      // The parent deletes only what it wrote: the planted links are still there, untouched.
      for (const link of links) expect(lstatSync(link).isSymbolicLink()).toBe(true);
    } finally {
      for (const link of links) rmSync(link, { force: true });
      rmSync(target, { force: true });
    }
  });

  it('changed mid-call: the child writes no result there (SerializationError quoting the problem); the next call uses a new folder', async () => {
    const replies = await loadFixture('tc39', 'protocol-replies');
    const folder = currentFolder();
    try {
      const error = await caught(new replies.Replies().openFolderThenReturnLarge());
      expect(error.code).toBe('ERR_ISOLATED_SERIALIZE');
      expect(error.path).toBe('result');
      expect(error.reason).toMatch(/has mode 0777, not 0700/);
      expect(readdirSync(folder)).toEqual([]);
      await bigCallsAfterTampering();
      expect(currentFolder()).not.toBe(folder);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it.runIf(asRoot)('another local user can neither list the folder nor open or hard-link a payload in it', () => {
    const folder = currentFolder();
    const payload = `${folder}/${process.pid}-0123456789abcdef`;
    writeFileSync(payload, 'an argument', { mode: 0o600 });
    // Where the probe would put a stolen link: a folder of this test's, open to nobody.
    const thief = mkdtempSync(join(tmpdir(), 'ic-thief-'));
    chmodSync(thief, 0o1777);
    try {
      const probe = `
        const fs = require('node:fs');
        const tries = { list: () => fs.readdirSync(process.argv[1]), open: () => fs.readFileSync(process.argv[2]), link: () => fs.linkSync(process.argv[2], process.argv[3] + '/stolen') };
        const out = {};
        for (const [name, fn] of Object.entries(tries)) { try { fn(); out[name] = 'ok'; } catch (e) { out[name] = e.code; } }
        console.log(JSON.stringify(out));`;
      const run = spawnSync(process.execPath, ['-e', probe, folder, payload, thief], { uid: NOBODY, gid: NOBODY, encoding: 'utf8' });
      expect(JSON.parse(run.stdout)).toEqual({ list: 'EACCES', open: 'EACCES', link: 'EACCES' });
    } finally {
      rmSync(payload, { force: true });
      rmSync(thief, { recursive: true, force: true });
    }
  });
});
