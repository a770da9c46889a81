import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from 'isolated-call';
import { loadFixture } from './helpers/fixtures.js';

// A child compiles the SDK's child build from V8's code cache, kept in this
// user's private folder (src/child/code-cache). Each child here gets a temp
// folder of its own through TMPDIR.
const uid = process.getuid?.() ?? 0;
const tmp = mkdtempSync(join(tmpdir(), 'ic-code-cache-'));
const unsafe = mkdtempSync(join(tmpdir(), 'ic-code-cache-unsafe-'));
const crowded = mkdtempSync(join(tmpdir(), 'ic-code-cache-crowded-'));
const folder = join(tmp, `isolated-call-cache-${uid}`);

let fx: Record<string, any>;
beforeAll(async () => {
  process.env.CODE_CACHE_TEST_TMPDIR = tmp;
  process.env.CODE_CACHE_TEST_UNSAFE_TMPDIR = unsafe;
  process.env.CODE_CACHE_TEST_CROWDED_TMPDIR = crowded;
  fx = await loadFixture('tc39', 'code-cache');
});
afterAll(async () => {
  await shutdown();
  rmSync(tmp, { recursive: true, force: true });
  rmSync(unsafe, { recursive: true, force: true });
  rmSync(crowded, { recursive: true, force: true });
});

/** The cache file (its child has exited), and different from `notContent`. */
async function cacheFile(notContent?: Buffer): Promise<string> {
  for (let i = 0; i < 40; i++) {
    const files = readdirSync(folder).filter((name) => name.endsWith('.v8'));
    if (files.length === 1) {
      const file = join(folder, files[0] as string);
      if (!notContent || !readFileSync(file).equals(notContent)) return file;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no code cache in ${folder}: ${readdirSync(folder).join(', ')}`);
}

/** The child's status, once the child has exited (a fresh child writes the cache as it exits). */
async function statusOf(call: () => Promise<{ status: string; pid: number }>): Promise<string> {
  const { status, pid } = await call();
  for (let i = 0; i < 400; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return status;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`child ${pid} is still running`);
}

describe.skipIf(process.platform === 'win32')('the child code cache', () => {
  it('is written by the first child and used by the next, in a private folder', async () => {
    expect(await statusOf(fx.cacheStatus)).toBe('miss');
    const file = await cacheFile();
    expect(readdirSync(tmp)).toEqual([`isolated-call-cache-${uid}`]);
    expect(readFileSync(file).length).toBeGreaterThan(10_000);
    expect(await statusOf(fx.cacheStatus)).toBe('hit');
  });

  it('is rejected by V8 when it is not a cache of the build, and written again', async () => {
    const file = await cacheFile();
    const garbage = Buffer.alloc(4096, 7);
    writeFileSync(file, garbage);
    expect(await statusOf(fx.cacheStatus)).toBe('rejected');
    await cacheFile(garbage);
    expect(await statusOf(fx.cacheStatus)).toBe('hit');
  });

  it('is off with ISOLATED_CALL_CODE_CACHE=off', async () => {
    expect(await statusOf(fx.cacheStatusOff)).toBe('off');
  });

  it('is never read from or written to a folder that is not private: a link, or open to others', async () => {
    // A link to a private folder with a cache in it: not followed.
    const elsewhere = mkdtempSync(join(unsafe, 'target-'));
    symlinkSync(elsewhere, join(unsafe, `isolated-call-cache-${uid}`));
    expect(await statusOf(fx.cacheStatusUnsafe)).toBe('off');
    expect(readdirSync(elsewhere)).toEqual([]);

    rmSync(join(unsafe, `isolated-call-cache-${uid}`));
    mkdirSync(join(unsafe, `isolated-call-cache-${uid}`));
    chmodSync(join(unsafe, `isolated-call-cache-${uid}`), 0o777);
    expect(await statusOf(fx.cacheStatusUnsafe)).toBe('off');
    expect(readdirSync(join(unsafe, `isolated-call-cache-${uid}`))).toEqual([]);
  });

  it('keeps the folder to the 16 newest caches when it writes one, and clears stale temporary files', async () => {
    const dir = join(crowded, `isolated-call-cache-${uid}`);
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o700);
    const old = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    for (let i = 0; i < 20; i++) {
      const name = join(dir, `child-${(0xa0000000 + i).toString(16)}.v8`);
      writeFileSync(name, 'an older install');
      utimesSync(name, old(100 - i), old(100 - i)); // i = 19 is the newest
    }
    writeFileSync(join(dir, 'child-aaaaaaaa.v8.1-1.tmp'), 'left by a dead child');
    utimesSync(join(dir, 'child-aaaaaaaa.v8.1-1.tmp'), old(5), old(5));
    writeFileSync(join(dir, 'child-bbbbbbbb.v8.2-2.tmp'), 'being written right now');
    writeFileSync(join(dir, 'notes.txt'), 'not ours');

    expect(await statusOf(fx.cacheStatusCrowded)).toBe('miss');
    const left = readdirSync(dir).sort();
    const caches = left.filter((name) => name.endsWith('.v8'));
    expect(caches).toHaveLength(16);
    // The 15 newest of the old ones stay, beside the one just written.
    for (let i = 5; i < 20; i++) expect(caches).toContain(`child-${(0xa0000000 + i).toString(16)}.v8`);
    expect(left).not.toContain('child-aaaaaaaa.v8.1-1.tmp');
    expect(left).toContain('child-bbbbbbbb.v8.2-2.tmp');
    expect(left).toContain('notes.txt');
    expect(await statusOf(fx.cacheStatusCrowded)).toBe('hit');
  });
});
