import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from 'isolated-call';
import { fixtureFile, loadFixture } from './helpers/fixtures.js';

// Node's compile cache (Node >= 22.1) for the modules a child loads
// (src/child/code-cache/compile-cache.ts, src/parent/caches/compile-cache.ts). Each
// test gives its children an OS temp folder of their own through TMPDIR.
const hasCompileCache =
  typeof (createRequire(import.meta.url)('node:module') as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const uid = process.getuid?.() ?? 0;
const tmp = mkdtempSync(join(tmpdir(), 'ic-compile-cache-'));
const offTmp = mkdtempSync(join(tmpdir(), 'ic-compile-cache-off-'));
const unsafe = mkdtempSync(join(tmpdir(), 'ic-compile-cache-unsafe-'));
const usersDir = mkdtempSync(join(tmpdir(), 'ic-compile-cache-users-'));
const folder = join(tmp, `isolated-call-compile-${uid}`);
const dep = fixtureFile('scripts/compile-cache-dep.cjs');
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);

type Report = { status: string; dir: string | undefined; answer: number; pid: number };
let fx: Record<string, () => Promise<Report>>;
beforeAll(async () => {
  Object.assign(process.env, {
    COMPILE_CACHE_TEST_TMPDIR: tmp,
    COMPILE_CACHE_TEST_OFF_TMPDIR: offTmp,
    COMPILE_CACHE_TEST_UNSAFE_TMPDIR: unsafe,
    COMPILE_CACHE_TEST_USERS_DIR: usersDir,
    COMPILE_CACHE_TEST_DEP: dep,
  });
  process.on('warning', onWarning);
  fx = await loadFixture('tc39', 'compile-cache');
});
afterAll(async () => {
  process.off('warning', onWarning);
  await shutdown();
  for (const dir of [tmp, offTmp, unsafe, usersDir]) rmSync(dir, { recursive: true, force: true });
});

/** The child's report, once the child has exited (Node writes the cache as it exits). */
async function reportOf(call: () => Promise<Report>): Promise<Report> {
  const report = await call();
  expect(report.answer).toBe(147);
  for (let i = 0; i < 400; i++) {
    try {
      process.kill(report.pid, 0);
    } catch {
      return report;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`child ${report.pid} is still running`);
}

/** Every file under `dir` (Node's subfolder per version and flags, one file per module) with its mtime and size. */
function entries(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const sub of readdirSync(dir, { withFileTypes: true })) {
    if (!sub.isDirectory()) continue;
    for (const name of readdirSync(join(dir, sub.name))) {
      const stats = statSync(join(dir, sub.name, name));
      found.set(join(sub.name, name), `${stats.mtimeMs}:${stats.size}`);
    }
  }
  return found;
}

describe.runIf(hasCompileCache && process.platform !== 'win32')("Node's compile cache in children", () => {
  it('is filled by the first child in a private folder, and read by the next without writing', async () => {
    const first = await reportOf(fx.compileCached as () => Promise<Report>);
    expect(first.status).toBe('enabled');
    expect(first.dir?.startsWith(`${folder}/`)).toBe(true);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const written = entries(folder);
    // The user's module and the CommonJS module it loaded, at least.
    expect(written.size).toBeGreaterThanOrEqual(2);

    // A second fresh child finds every entry and compiles nothing it would have to write.
    const second = await reportOf(fx.compileCached as () => Promise<Report>);
    expect(second.status).toBe('enabled');
    expect(second.dir).toBe(first.dir);
    expect(entries(folder)).toEqual(written);
  });

  it('never breaks a call on a damaged entry: Node compiles again and writes a good one', async () => {
    const before = entries(folder);
    const [sub] = readdirSync(folder, { withFileTypes: true }).filter((e) => e.isDirectory());
    const subDir = join(folder, sub?.name ?? '');
    for (const name of readdirSync(subDir)) {
      const bytes = readFileSync(join(subDir, name));
      for (let i = 0; i < bytes.length; i += 97) bytes[i] = (bytes[i] as number) ^ 0x5a;
      writeFileSync(join(subDir, name), bytes);
    }
    const garbage = join(subDir, readdirSync(subDir)[0] ?? '');
    writeFileSync(garbage, Buffer.alloc(64, 7));
    const damaged = entries(folder);

    expect((await reportOf(fx.compileCached as () => Promise<Report>)).status).toBe('enabled');
    const after = entries(folder);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    // Each damaged entry was rejected and written again.
    for (const [name, stamp] of after) expect(stamp).not.toBe(damaged.get(name));
    expect((await reportOf(fx.compileCached as () => Promise<Report>)).status).toBe('enabled');
    expect(entries(folder)).toEqual(after);
  });

  it('is off with ISOLATED_CALL_CODE_CACHE=off: no folder', async () => {
    expect(await reportOf(fx.compileCacheOff as () => Promise<Report>)).toMatchObject({ status: 'off', dir: undefined });
    expect(readdirSync(offTmp).filter((name) => name.startsWith('isolated-call-compile-'))).toEqual([]);
  });

  it("leaves the user's NODE_COMPILE_CACHE folder as it is", async () => {
    const report = await reportOf(fx.compileCacheUsers as () => Promise<Report>);
    expect(report.status).toBe('off');
    expect(report.dir?.startsWith(`${usersDir}/`)).toBe(true);
    expect(readdirSync(offTmp).filter((name) => name.startsWith('isolated-call-compile-'))).toEqual([]);
  });

  it('is never used in a folder that is not private (a link, or open to others), with one warning; calls still work', async () => {
    const path = join(unsafe, `isolated-call-compile-${uid}`);
    const elsewhere = mkdtempSync(join(unsafe, 'target-'));
    symlinkSync(elsewhere, path);
    expect(await reportOf(fx.compileCacheUnsafe as () => Promise<Report>)).toMatchObject({ status: 'off', dir: undefined });
    expect(readdirSync(elsewhere)).toEqual([]);

    rmSync(path);
    mkdirSync(path);
    chmodSync(path, 0o777);
    expect(await reportOf(fx.compileCacheUnsafe as () => Promise<Report>)).toMatchObject({ status: 'off', dir: undefined });
    expect(readdirSync(path)).toEqual([]);
    const refused = warnings.filter((w) => (w as { code?: string }).code === 'ISOLATED_CALL_CACHE_REFUSED');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.message).toContain(path);
    expect(refused[0]?.message).toContain('symbolic link');
  });
});
