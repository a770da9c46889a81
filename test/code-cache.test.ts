import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from 'isolated-call';
import { loadFixture } from './helpers/fixtures.js';
import { runNodeJson } from './helpers/scripts.js';

// A child compiles the SDK's child build from V8's code cache, kept in this
// user's private folder (src/child/code-cache). Each child here gets a temp
// folder of its own through TMPDIR.
const uid = process.getuid?.() ?? 0;
const tmp = mkdtempSync(join(tmpdir(), 'ic-code-cache-'));
const unsafe = mkdtempSync(join(tmpdir(), 'ic-code-cache-unsafe-'));
const crowded = mkdtempSync(join(tmpdir(), 'ic-code-cache-crowded-'));
const forged = mkdtempSync(join(tmpdir(), 'ic-code-cache-forged-'));
const folder = join(tmp, `isolated-call-cache-${uid}`);
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);

let fx: Record<string, any>;
beforeAll(async () => {
  process.env.CODE_CACHE_TEST_TMPDIR = tmp;
  process.env.CODE_CACHE_TEST_UNSAFE_TMPDIR = unsafe;
  process.env.CODE_CACHE_TEST_CROWDED_TMPDIR = crowded;
  process.env.CODE_CACHE_TEST_FORGED_TMPDIR = forged;
  process.on('warning', onWarning);
  fx = await loadFixture('tc39', 'code-cache');
});
afterAll(async () => {
  process.off('warning', onWarning);
  await shutdown();
  rmSync(forged, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
  rmSync(unsafe, { recursive: true, force: true });
  rmSync(crowded, { recursive: true, force: true });
});

/** The cache file in `dir` (its child has exited), and different from `notContent`. */
async function cacheFile(notContent?: Buffer, dir = folder): Promise<string> {
  for (let i = 0; i < 40; i++) {
    const files = readdirSync(dir).filter((name) => name.endsWith('.v8'));
    if (files.length === 1) {
      const file = join(dir, files[0] as string);
      if (!notContent || !readFileSync(file).equals(notContent)) return file;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no code cache in ${dir}: ${readdirSync(dir).join(', ')}`);
}

/** The bytes of a cache file with every 997th byte from offset 200 flipped: past V8's header and ours, a crash for V8 if it ran them. */
function damaged(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  for (let i = 200; i < copy.length; i += 997) copy[i] = (copy[i] as number) ^ 0x5a;
  return copy;
}

/** The file's header (48 bytes: magic, SHA-256, length) made to match its damaged payload again: a checksum that holds. */
function withForgedChecksum(bytes: Buffer): Buffer {
  const payload = bytes.subarray(48);
  const header = Buffer.from(bytes.subarray(0, 48));
  createHash('sha256').update(payload).digest().copy(header, 8);
  return Buffer.concat([header, payload]);
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
    // Beside it, on Node >= 22.1, Node's compile cache of the modules the child loaded (compile-cache.test.ts).
    expect(readdirSync(tmp).filter((name) => name !== `isolated-call-compile-${uid}`)).toEqual([`isolated-call-cache-${uid}`]);
    expect(readFileSync(file).length).toBeGreaterThan(10_000);
    expect(await statusOf(fx.cacheStatus)).toBe('hit');
  });

  it('is dropped when it fails its checksum (not a cache of ours), and written again', async () => {
    const file = await cacheFile();
    const garbage = Buffer.alloc(4096, 7);
    writeFileSync(file, garbage);
    expect(await statusOf(fx.cacheStatus)).toBe('miss');
    await cacheFile(garbage);
    expect(await statusOf(fx.cacheStatus)).toBe('hit');
  });

  it('never runs bytes damaged past its header: the damaged file is dropped, the call runs, a good cache is written', async () => {
    const file = await cacheFile();
    const bad = damaged(readFileSync(file));
    writeFileSync(file, bad);
    // Before: V8 ran the damaged bytes and every child died (SIGSEGV or SIGTRAP), on every run.
    expect(await statusOf(fx.cacheStatus)).toBe('miss');
    await cacheFile(bad);
    expect(await statusOf(fx.cacheStatus)).toBe('hit');
  });

  it('is off with ISOLATED_CALL_CODE_CACHE=off', async () => {
    expect(await statusOf(fx.cacheStatusOff)).toBe('off');
  });

  it('a child that dies before ready on a cache whose checksum holds: the call runs once more without it, retries 0', async () => {
    const dir = join(forged, `isolated-call-cache-${uid}`);
    expect(await statusOf(fx.cacheStatusForged)).toBe('miss');
    const file = await cacheFile(undefined, dir);
    expect(await statusOf(fx.cacheStatusForged)).toBe('hit');
    writeFileSync(file, withForgedChecksum(damaged(readFileSync(file))));
    // The first child crashes in V8's deserializer; the call doesn't see it.
    expect(await statusOf(fx.cacheStatusForged)).toBe('off');
    expect(existsSync(file)).toBe(false);
    // This process gives no child a cache there again: no outage, only a slower start.
    expect(await statusOf(fx.cacheStatusForged)).toBe('off');
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
    // Said once, naming the folder and why.
    const refused = warnings.filter((w) => (w as { code?: string }).code === 'ISOLATED_CALL_CACHE_REFUSED');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.message).toContain(join(unsafe, `isolated-call-cache-${uid}`));
    expect(refused[0]?.message).toContain('symbolic link');
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

describe.skipIf(process.platform === 'win32')('the child code cache of an edited SDK build', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const app = mkdtempSync(join(tmpdir(), 'ic-code-cache-edit-'));
  afterAll(() => rmSync(app, { recursive: true, force: true }));

  it('is keyed by content: an edit that keeps size and mtime runs the new code', () => {
    // A copy of the package, as installed, whose child build the test edits.
    const pkg = join(app, 'node_modules', 'isolated-call');
    mkdirSync(pkg, { recursive: true });
    cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
    cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
    // A reproducible build's timestamps (SOURCE_DATE_EPOCH): every version of the file has the same mtime.
    const stamp = Date.UTC(2020, 0, 1);
    utimesSync(join(pkg, 'dist', 'child-build.cjs'), new Date(stamp), new Date(stamp));
    mkdirSync(join(app, 'tmp'));
    writeFileSync(
      join(app, 'work.mjs'),
      `import { isolate, measureRss } from 'isolated-call';
export const message = isolate(async function message() {
  try { measureRss(1); } catch (error) { return { message: error.message, status: globalThis[Symbol.for('isolated-call.child-code-cache')] }; }
});
`,
    );
    // shutdown() waits for the child to exit, which is when a child that missed writes the cache.
    writeFileSync(
      join(app, 'main.mjs'),
      `import { shutdown } from 'isolated-call';\nimport { message } from './work.mjs';\nconsole.log(JSON.stringify(await message()));\nawait shutdown();\n`,
    );
    const run = () => runNodeJson(['main.mjs'], { cwd: app, env: { TMPDIR: join(app, 'tmp') } }).json;
    expect(run().status).toBe('miss');
    expect(run()).toEqual({ message: 'measureRss(fn) takes a function to run and measure', status: 'hit' });

    const build = join(pkg, 'dist', 'child-build.cjs');
    const { size, mtimeMs } = statSync(build);
    writeFileSync(build, readFileSync(build, 'utf8').replace('takes a function to run', 'TAKES a function to run'));
    utimesSync(build, new Date(stamp), new Date(stamp));
    expect(statSync(build)).toMatchObject({ size, mtimeMs });
    // Before: the cache, named after path, size and mtime, ran the old bytecode: "takes".
    expect(run()).toEqual({ message: 'measureRss(fn) TAKES a function to run and measure', status: 'miss' });
  });
});
