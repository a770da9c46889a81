import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
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
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from 'isolated-call';
import type { ModuleCacheReport } from './fixtures/src/module-cache.js';
import { loadFixture } from './helpers/fixtures.js';

// The SDK's own cache of compiled CommonJS modules, on a Node without
// module.enableCompileCache() (src/child/code-cache/module-cache.ts). Each
// contender's children get an OS temp folder of their own through TMPDIR;
// the dependencies they load are written here, so a test can edit them.
const hasCompileCache =
  typeof (createRequire(import.meta.url)('node:module') as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const uid = process.getuid?.() ?? 0;
const tmp = mkdtempSync(join(tmpdir(), 'ic-module-cache-'));
const offTmp = mkdtempSync(join(tmpdir(), 'ic-module-cache-off-'));
const unsafe = mkdtempSync(join(tmpdir(), 'ic-module-cache-unsafe-'));
const deps = mkdtempSync(join(tmpdir(), 'ic-module-cache-deps-'));
const folder = join(tmp, `isolated-call-compile-${uid}`);
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);

type Run = 'value' | 'throw' | 'throwOnLineOne' | 'import' | 'requireEsm';
type Call = (dep: string, run: Run) => Promise<ModuleCacheReport>;
let fx: Record<'moduleCached' | 'moduleCacheOff' | 'moduleCacheUnsafe' | 'moduleCacheSourceMaps', Call>;
beforeAll(async () => {
  Object.assign(process.env, {
    MODULE_CACHE_TEST_TMPDIR: tmp,
    MODULE_CACHE_TEST_OFF_TMPDIR: offTmp,
    MODULE_CACHE_TEST_UNSAFE_TMPDIR: unsafe,
  });
  process.on('warning', onWarning);
  fx = await loadFixture('tc39', 'module-cache');
});
afterAll(async () => {
  process.off('warning', onWarning);
  await shutdown();
  for (const dir of [tmp, offTmp, unsafe, deps]) rmSync(dir, { recursive: true, force: true });
});

/** A CommonJS dependency big enough to be cached (8 KB or more); `value` is what its `value()` returns. */
function writeDep(name: string, value: number, extra = ''): string {
  const path = join(deps, name);
  const source = [
    "exports.throwOnLineOne = () => { throw new Error('thrown on line one'); };",
    `// ${'padding '.repeat(1200)}`,
    `exports.value = () => ${value};`,
    'exports.throw = () => {',
    "  throw new Error('thrown in a cached module');",
    '};',
    extra,
  ].join('\n');
  writeFileSync(path, source);
  return path;
}

/** The child's report, once the child has exited (it writes its entries as it exits). */
async function reportOf(call: Call, dep: string, run: Run = 'value'): Promise<ModuleCacheReport> {
  const report = await call(dep, run);
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

/** The entries in the cache's subfolder (one per Node version and flags), by name. */
function entries(): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  for (const sub of readdirSync(folder, { withFileTypes: true })) {
    if (!sub.isDirectory()) continue;
    for (const name of readdirSync(join(folder, sub.name)))
      found.set(join(folder, sub.name, name), readFileSync(join(folder, sub.name, name)));
  }
  return found;
}

/** The one entry a fresh dependency added. */
function newEntry(before: Map<string, Buffer>): string {
  const added = [...entries().keys()].filter((path) => !before.has(path));
  expect(added).toHaveLength(1);
  return added[0] as string;
}

/** The first frame of a stack: `file:line:column`. */
const topFrame = (stack: unknown) => /\((\/[^)]+:\d+:\d+)\)/.exec(String(stack))?.[1];

describe.runIf(!hasCompileCache && process.platform !== 'win32')("the SDK's module cache (Node without a compile cache)", () => {
  it('is written by the first child in a private folder and read by the next', async () => {
    const dep = writeDep('first.cjs', 41);
    const first = await reportOf(fx.moduleCached, dep);
    expect(first).toMatchObject({ status: 'modules', result: 41, counts: { hits: 0, misses: 1 } });
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const written = entries();
    expect(written.size).toBe(1);

    const second = await reportOf(fx.moduleCached, dep);
    expect(second).toMatchObject({ status: 'modules', result: 41, counts: { hits: 1, misses: 0, dropped: 0 } });
    // A hit writes nothing.
    expect(entries()).toEqual(written);
  });

  it('runs a cached module with the right file, line and column in its stack traces', async () => {
    const dep = writeDep('stack.cjs', 1);
    const off = await reportOf(fx.moduleCacheOff, dep, 'throw');
    const offLineOne = await reportOf(fx.moduleCacheOff, dep, 'throwOnLineOne');
    expect(topFrame(off.result)).toBe(`${dep}:5:9`);
    await reportOf(fx.moduleCached, dep, 'throw');
    const cached = await reportOf(fx.moduleCached, dep, 'throw');
    const cachedLineOne = await reportOf(fx.moduleCached, dep, 'throwOnLineOne');
    expect(cached.counts?.hits).toBe(1);
    expect(topFrame(cached.result)).toBe(topFrame(off.result));
    expect(topFrame(cachedLineOne.result)).toBe(topFrame(offLineOne.result));

    // The same content at another path: its own entry, and its own name in the stack.
    const twin = join(deps, 'stack-twin.cjs');
    cpSync(dep, twin);
    await reportOf(fx.moduleCached, twin, 'throw');
    expect(topFrame((await reportOf(fx.moduleCached, twin, 'throw')).result)).toBe(`${twin}:5:9`);
  });

  it('runs the new code after a same-size edit that keeps the mtime', async () => {
    // A whole second, which every file system keeps exactly.
    const stamp = 1_700_000_000;
    const dep = writeDep('edited.cjs', 11);
    utimesSync(dep, stamp, stamp);
    expect((await reportOf(fx.moduleCached, dep)).result).toBe(11);
    expect((await reportOf(fx.moduleCached, dep)).counts?.hits).toBe(1);
    const { size } = statSync(dep);
    writeDep('edited.cjs', 22);
    utimesSync(dep, stamp, stamp);
    expect(statSync(dep)).toMatchObject({ size, mtimeMs: stamp * 1000 });
    expect((await reportOf(fx.moduleCached, dep)).result).toBe(22);
  });

  /** A dependency cached once, and its entry: [path, bytes]. */
  async function cachedDep(name: string): Promise<[string, string, Buffer]> {
    const before = entries();
    const dep = writeDep(name, 7);
    await reportOf(fx.moduleCached, dep);
    const entry = newEntry(before);
    return [dep, entry, readFileSync(entry)];
  }

  /** A call on a damaged entry: the right result, the entry dropped and written again, a hit after. */
  async function survives(dep: string, entry: string, bad: Buffer | undefined): Promise<void> {
    const report = await reportOf(fx.moduleCached, dep);
    expect(report.result).toBe(7);
    expect(report.counts).toMatchObject({ hits: 0, misses: 1, dropped: 1 });
    const rewritten = readFileSync(entry);
    if (bad) expect(rewritten.equals(bad)).toBe(false);
    expect(statSync(entry).isFile()).toBe(true);
    expect((await reportOf(fx.moduleCached, dep)).counts).toMatchObject({ hits: 1, misses: 0 });
  }

  it('drops an entry with bytes flipped past its header, and runs the module', async () => {
    const [dep, entry, bytes] = await cachedDep('flipped.cjs');
    const bad = Buffer.from(bytes);
    for (let i = 100; i < bad.length; i += 97) bad[i] = (bad[i] as number) ^ 0x5a;
    writeFileSync(entry, bad);
    await survives(dep, entry, bad);
  });

  it('drops an entry whose checksum was forged over its damaged bytes', async () => {
    const [dep, entry, bytes] = await cachedDep('forged.cjs');
    const bad = Buffer.from(bytes);
    for (let i = 100; i < bad.length; i += 97) bad[i] = (bad[i] as number) ^ 0x5a;
    // The checksum of the payload alone (the format's, without the key it covers here).
    createHash('sha256').update(bad.subarray(48)).digest().copy(bad, 8);
    writeFileSync(entry, bad);
    await survives(dep, entry, bad);
  });

  it('drops a truncated entry', async () => {
    const [dep, entry, bytes] = await cachedDep('truncated.cjs');
    const bad = bytes.subarray(0, Math.floor(bytes.length / 2));
    writeFileSync(entry, bad);
    await survives(dep, entry, bad);
  });

  it('drops a link planted under an entry name, and never reads through it', async () => {
    const [dep, entry, bytes] = await cachedDep('linked.cjs');
    const elsewhere = join(deps, 'planted.jsc');
    writeFileSync(elsewhere, bytes);
    rmSync(entry);
    symlinkSync(elsewhere, entry);
    await survives(dep, entry, undefined);
    expect(readFileSync(elsewhere).equals(bytes)).toBe(true);
  });

  it('leaves a module that may import() to Node, and its import works in every child', async () => {
    const dep = writeDep('imports.cjs', 3, "exports.import = () => import('node:path').then((path) => typeof path.join);");
    const first = await reportOf(fx.moduleCached, dep, 'import');
    expect(first).toMatchObject({ result: 'function', counts: { byNode: 1, misses: 0 } });
    const second = await reportOf(fx.moduleCached, dep, 'import');
    expect(second).toMatchObject({ result: 'function', counts: { byNode: 1, hits: 0 } });
  });

  it('with source maps on, leaves a module whose source map is there to Node, and caches one whose map is missing', async () => {
    const mapped = writeDep('mapped.cjs', 13, '//# sourceMappingURL=mapped.cjs.map');
    writeFileSync(join(deps, 'mapped.cjs.map'), JSON.stringify({ version: 3, sources: ['mapped.ts'], names: [], mappings: '' }));
    await reportOf(fx.moduleCacheSourceMaps, mapped);
    expect(await reportOf(fx.moduleCacheSourceMaps, mapped)).toMatchObject({ result: 13, counts: { hits: 0, misses: 0 } });
    // As typescript.js: its package doesn't ship the map it names.
    const unmapped = writeDep('unmapped.cjs', 17, '//# sourceMappingURL=unmapped.cjs.map');
    await reportOf(fx.moduleCacheSourceMaps, unmapped);
    expect(await reportOf(fx.moduleCacheSourceMaps, unmapped)).toMatchObject({ result: 17, counts: { hits: 1 } });
  });

  it('requires an ES module from a cached module (require(esm), where Node has it)', async () => {
    writeFileSync(join(deps, 'esm-dep.mjs'), 'export const v = "from an ES module";\n');
    const dep = writeDep('requires-esm.cjs', 19, "exports.requireEsm = () => require('./esm-dep.mjs').v;");
    const first = await reportOf(fx.moduleCached, dep, 'requireEsm');
    const second = await reportOf(fx.moduleCached, dep, 'requireEsm');
    expect(second.counts?.hits).toBe(1);
    // Node 20 before 20.19 has no require(esm): the cached module fails as Node's own compile would.
    expect(second.result).toBe(first.result);
    if (!String(first.result).includes('ERR_REQUIRE_ESM')) expect(second.result).toBe('from an ES module');
  });

  it('is off with ISOLATED_CALL_CODE_CACHE=off: no folder', async () => {
    const dep = writeDep('off.cjs', 5);
    expect(await reportOf(fx.moduleCacheOff, dep)).toMatchObject({ status: 'off', result: 5, counts: undefined });
    expect(readdirSync(offTmp).filter((name) => name.startsWith('isolated-call-compile-'))).toEqual([]);
  });

  it("is never used in a folder that isn't private (a link, open to others, another user's); calls still work", async () => {
    const dep = writeDep('unsafe.cjs', 9);
    const path = join(unsafe, `isolated-call-compile-${uid}`);
    const elsewhere = mkdtempSync(join(unsafe, 'target-'));
    symlinkSync(elsewhere, path);
    expect(await reportOf(fx.moduleCacheUnsafe, dep)).toMatchObject({ status: 'off', result: 9 });
    expect(readdirSync(elsewhere)).toEqual([]);

    rmSync(path);
    mkdirSync(path);
    chmodSync(path, 0o777);
    expect(await reportOf(fx.moduleCacheUnsafe, dep)).toMatchObject({ status: 'off', result: 9 });
    expect(readdirSync(path)).toEqual([]);
    const refused = warnings.filter((w) => (w as { code?: string }).code === 'ISOLATED_CALL_CACHE_REFUSED');
    expect(refused.map((w) => w.message).join('\n')).toContain(path);

    // The folder is private, its subfolder for this Node isn't: the child checks that one itself.
    chmodSync(path, 0o700);
    expect(await reportOf(fx.moduleCacheUnsafe, dep)).toMatchObject({ status: 'modules', result: 9 });
    const [sub] = readdirSync(path);
    const subfolder = join(path, sub as string);
    if (uid === 0) chownSync(subfolder, 4242, 4242);
    else chmodSync(subfolder, 0o755);
    const report = await reportOf(fx.moduleCacheUnsafe, dep);
    expect(report).toMatchObject({ status: 'failed', result: 9, counts: undefined });
  });
});
