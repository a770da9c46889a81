import { createHash } from 'node:crypto';
import {
  chmodSync,
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
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode, runNodeJson } from './helpers/scripts.js';

/*
 * The SDK's own TypeScript loader for children (dist/ts-loader.cjs): small
 * TypeScript projects in a temporary folder, with isolated-call, tsx and
 * esbuild linked into their node_modules, run by a real parent under tsx (or
 * as a test worker compiles: tsx's register() API, no flag), calling methods
 * in real children.
 */

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'isolated-call-ts-loader-'));
  folders.push(dir);
  mkdirSync(join(dir, 'node_modules'));
  mkdirSync(join(dir, 'tmp'));
  symlinkSync(root, join(dir, 'node_modules', 'isolated-call'), 'dir');
  for (const name of ['tsx', 'esbuild']) {
    symlinkSync(dirname(require.resolve(`${name}/package.json`)), join(dir, 'node_modules', name), 'dir');
  }
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** The project's own temp folder as TMPDIR, for the parent and its children: their caches stay in the project. */
const ownTmp = (dir: string): Record<string, string> => ({ TMPDIR: join(dir, 'tmp') });

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const usesSdkLoader = (argv: string[]) => argv.some((flag) => flag.endsWith('ts-loader.cjs'));
const usesTsx = (argv: string[]) => argv.some((flag) => /(^|[\\/])tsx([\\/]|$)/.test(flag));

/** ESM, standard (TC39) decorators; `./helper.js` is helper.ts, as TypeScript writes it. */
const esm = {
  'package.json': JSON.stringify({ type: 'module' }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'es2022', module: 'nodenext', strict: true } }),
  'helper.ts': 'export const answer = (n: number): number => n + 1;\n',
  'work.ts': `import { Isolated } from 'isolated-call';
import { answer } from './helper.js';

function tc39(_method: unknown, context: ClassMethodDecoratorContext): void {
  context.addInitializer(function (this: unknown) { (this as { dialect?: string }).dialect = 'tc39:' + String(context.name); });
}

export class Work {
  declare dialect: string;
  @tc39
  @Isolated()
  async run(n: number) {
    return { value: answer(n), dialect: this.dialect, url: import.meta.url, execArgv: process.execArgv, pid: process.pid };
  }
}
`,
  'main.ts': `import { Work } from './work.ts';
const calls = Number(process.argv[2] ?? 1);
const results = await Promise.all(Array.from({ length: calls }, (_, i) => new Work().run(i)));
console.log(JSON.stringify({ results, parentPid: process.pid }));
`,
  // As a vitest or jest worker: TypeScript compiled in this process, no loader flag for the child to inherit.
  'worker.mjs': `import { register } from 'tsx/esm/api';
register();
const { Work } = await import('./work.ts');
console.log(JSON.stringify({ results: [await new Work().run(1)], execArgv: process.execArgv }));
`,
};

/** CommonJS, legacy decorators (experimentalDecorators: the NestJS-era setup); `./helper` without an extension. */
const cjs = {
  'package.json': JSON.stringify({ type: 'commonjs' }),
  'tsconfig.json': JSON.stringify({
    compilerOptions: { target: 'es2022', module: 'commonjs', strict: true, experimentalDecorators: true },
  }),
  'helper.ts': 'export const answer = (n: number): number => n * 2;\n',
  'work.ts': `import { Isolated } from 'isolated-call';
import { answer } from './helper';

const marks: string[] = [];
function legacy(target: object, key: string, descriptor: PropertyDescriptor): void {
  marks.push(typeof target + ':' + key + ':' + typeof descriptor.value);
}

export class Work {
  @legacy
  @Isolated()
  async run(n: number) {
    return { value: answer(n), dialect: marks.join(), file: __filename, execArgv: process.execArgv };
  }
}
`,
  'main.ts': `import { Work } from './work';
new Work().run(21).then((result) => console.log(JSON.stringify({ results: [result] })));
`,
};

describe("the SDK's TypeScript loader in the child", () => {
  it("replaces a tsx parent's loader: ESM, standard decorators, .js specifiers that mean .ts, import.meta.url kept", () => {
    const dir = project(esm);
    const { json } = runNodeJson(['--import', 'tsx', 'main.ts'], { cwd: dir, env: ownTmp(dir) });
    const [result] = json.results;
    expect(result.value).toBe(1);
    expect(result.dialect).toBe('tc39:run');
    expect(result.pid).not.toBe(json.parentPid);
    expect(result.url).toBe(pathToFileURL(join(dir, 'work.ts')).href);
    expect(usesSdkLoader(result.execArgv)).toBe(true);
    expect(usesTsx(result.execArgv)).toBe(false);
  });

  it('compiles CommonJS TypeScript with legacy decorators through require, extensionless imports and __filename kept', () => {
    const dir = project(cjs);
    const { json } = runNodeJson(['--import', 'tsx', 'main.ts'], { cwd: dir, env: ownTmp(dir) });
    const [result] = json.results;
    expect(result.value).toBe(42);
    expect(result.dialect).toBe('object:run:function');
    expect(result.file).toBe(join(dir, 'work.ts'));
    expect(usesSdkLoader(result.execArgv)).toBe(true);
    expect(usesTsx(result.execArgv)).toBe(false);
  });

  it("loads a .cts and an extensionless .js from an ES module, and names .ts lines in a thrown error's stack", () => {
    const dir = project({
      ...esm,
      'legacy.cts': 'export const triple = (n: number): number => n * 3;\n',
      'plain.js': 'export const five = 5;\n',
      'mixed.ts': `import { Isolated } from 'isolated-call';
import { triple } from './legacy.cjs';
import { five } from './plain';

export class Mixed {
  @Isolated()
  async run(n: number): Promise<number> {
    return triple(n) + five;
  }

  @Isolated()
  async fail(): Promise<never> {
    const where: string = 'line 13';
    throw new Error(where);
  }
}
`,
      'mixed-main.ts': `import { Mixed } from './mixed.ts';
const value = await new Mixed().run(2);
const stack = await new Mixed().fail().catch((error: Error) => error.stack);
console.log(JSON.stringify({ value, stack }));
`,
    });
    const { json } = runNodeJson(['--import', 'tsx', 'mixed-main.ts'], { cwd: dir, env: ownTmp(dir) });
    expect(json.value).toBe(11);
    expect(json.stack).toContain(`${join(dir, 'mixed.ts')}:14:11`);
  });

  it('is what the child of a test worker gets (TypeScript compiled in-process, no loader flag)', () => {
    const dir = project(esm);
    const { json } = runNodeJson(['worker.mjs'], { cwd: dir, env: ownTmp(dir) });
    expect(json.execArgv).toEqual([]);
    expect(json.results[0].value).toBe(2);
    expect(usesSdkLoader(json.results[0].execArgv)).toBe(true);
  });

  it('serves concurrent first calls, each in its own child', () => {
    const dir = project(esm);
    const { json } = runNodeJson(['--import', 'tsx', 'main.ts', '4'], { cwd: dir, env: ownTmp(dir) });
    expect(json.results.map((r: { value: number }) => r.value)).toEqual([1, 2, 3, 4]);
    expect(new Set(json.results.map((r: { pid: number }) => r.pid)).size).toBe(4);
  });

  it('compiles the current source in every fresh child: an edit between two calls shows in the second', () => {
    const dir = project({
      ...esm,
      'edit.ts': `import { writeFileSync } from 'node:fs';
import { Work } from './work.ts';
const first = await new Work().run(1);
writeFileSync(new URL('./helper.ts', import.meta.url), 'export const answer = (n: number): number => n + 100;\\n');
const second = await new Work().run(1);
console.log(JSON.stringify({ first: first.value, second: second.value }));
`,
    });
    const { json } = runNodeJson(['--import', 'tsx', 'edit.ts'], { cwd: dir, env: ownTmp(dir) });
    expect(json).toEqual({ first: 2, second: 101 });
  });

  it('keeps tsx where the tsconfig has paths (only tsx resolves them)', () => {
    const dir = project({
      ...esm,
      'tsconfig.json': JSON.stringify({
        compilerOptions: { target: 'es2022', module: 'nodenext', strict: true, paths: { '#lib/*': ['./lib/*'] } },
      }),
      'lib/helper.ts': 'export const answer = (n: number): number => n + 7;\n',
      'work.ts': esm['work.ts'].replace("from './helper.js'", "from '#lib/helper.ts'"),
    });
    const { json } = runNodeJson(['--import', 'tsx', 'main.ts'], { cwd: dir, env: ownTmp(dir) });
    expect(json.results[0].value).toBe(7);
    expect(usesSdkLoader(json.results[0].execArgv)).toBe(false);
    expect(usesTsx(json.results[0].execArgv)).toBe(true);
  });

  it("keeps the parent's tsx with ISOLATED_CALL_TS_LOADER=tsx", () => {
    const dir = project(esm);
    process.env.ISOLATED_CALL_TS_LOADER = 'tsx';
    try {
      const { json } = runNodeJson(['--import', 'tsx', 'main.ts'], { cwd: dir, env: ownTmp(dir) });
      expect(json.results[0].value).toBe(1);
      expect(usesSdkLoader(json.results[0].execArgv)).toBe(false);
      expect(usesTsx(json.results[0].execArgv)).toBe(true);
    } finally {
      delete process.env.ISOLATED_CALL_TS_LOADER;
    }
  });
});

describe('the transform cache children share', () => {
  /** The project's own temp folder (TMPDIR for parent and children), so each test sees a cache of its own. */
  function withTemp(dir: string): { env: Record<string, string>; cache: string } {
    return { env: ownTmp(dir), cache: join(dir, 'tmp', `isolated-call-ts-${process.getuid?.()}`) };
  }
  const entries = (cache: string) => readdirSync(cache).map((name) => ({ name, text: readFileSync(join(cache, name), 'utf8') }));

  it.skipIf(process.platform === 'win32')('a second child runs what the first compiled, from a private folder', () => {
    const dir = project(esm);
    const { env, cache } = withTemp(dir);
    expect(runNodeJson(['--import', 'tsx', 'main.ts'], { cwd: dir, env }).json.results[0].value).toBe(1);
    expect(statMode(cache)).toBe(0o700);
    const helper = entries(cache).find((entry) => entry.text.split('\n')[0]?.includes(join(dir, 'helper.ts')));
    expect(helper).toBeDefined();
    // The entry stands for helper.ts as long as its key line matches: a changed body proves the next child read it.
    const [keyLine] = (helper as { text: string }).text.split('\n');
    const body = "export const answer = () => 'from the cache';\n";
    writeFileSync(join(cache, (helper as { name: string }).name), `${keyLine}\n//${sha256(body)}\n${body}`);
    expect(runNodeJson(['--import', 'tsx', 'main.ts'], { cwd: dir, env }).json.results[0].value).toBe('from the cache');
  });

  it.skipIf(process.platform === 'win32')('is keyed by content: an edit that keeps size and mtime runs the new code', () => {
    const dir = project(esm);
    const { env } = withTemp(dir);
    // A reproducible build's timestamps (SOURCE_DATE_EPOCH, Nix, rsync -t): every version of the file has the same mtime.
    const stamp = new Date(Date.UTC(2020, 0, 1));
    const helper = join(dir, 'helper.ts');
    utimesSync(helper, stamp, stamp);
    expect(runNodeJson(['--import', 'tsx', 'main.ts'], { cwd: dir, env }).json.results[0].value).toBe(1);
    const { size, mtimeMs } = statSync(helper);
    writeFileSync(helper, readFileSync(helper, 'utf8').replace('n + 1', 'n + 2'));
    utimesSync(helper, stamp, stamp);
    expect(statSync(helper)).toMatchObject({ size, mtimeMs });
    // Before: the entry, keyed by path, size and mtime, ran the old code: 1.
    expect(runNodeJson(['--import', 'tsx', 'main.ts'], { cwd: dir, env }).json.results[0].value).toBe(2);
  });

  it.skipIf(process.platform === 'win32')('compiles again when an entry is damaged: its checksum fails', () => {
    const dir = project(esm);
    const { env, cache } = withTemp(dir);
    expect(runNodeJson(['--import', 'tsx', 'main.ts'], { cwd: dir, env }).json.results[0].value).toBe(1);
    const helper = entries(cache).find((entry) => entry.text.split('\n')[0]?.includes(join(dir, 'helper.ts')));
    expect(helper?.text).toContain('n + 1');
    writeFileSync(join(cache, (helper as { name: string }).name), (helper as { text: string }).text.replace('n + 1', 'n + 9'));
    expect(runNodeJson(['--import', 'tsx', 'main.ts'], { cwd: dir, env }).json.results[0].value).toBe(1);
  });

  it.skipIf(process.platform === 'win32')('misses after the source changes, and keeps one entry per file', () => {
    const dir = project(esm);
    const { env, cache } = withTemp(dir);
    runNodeJson(['--import', 'tsx', 'main.ts'], { cwd: dir, env });
    const before = entries(cache).length;
    writeFileSync(join(dir, 'helper.ts'), 'export const answer = (n: number): number => n + 1000;\n');
    expect(runNodeJson(['--import', 'tsx', 'main.ts'], { cwd: dir, env }).json.results[0].value).toBe(1000);
    expect(entries(cache).length).toBe(before);
  });

  it.skipIf(process.platform === 'win32')('concurrent first calls leave whole entries and no temporary files', () => {
    const dir = project(esm);
    const { env, cache } = withTemp(dir);
    const { json } = runNodeJson(['--import', 'tsx', 'main.ts', '4'], { cwd: dir, env });
    expect(json.results.map((r: { value: number }) => r.value)).toEqual([1, 2, 3, 4]);
    const all = entries(cache);
    expect(all.map((e) => e.name).filter((name) => !name.endsWith('.js'))).toEqual([]);
    for (const entry of all) expect(entry.text).toMatch(/^\/\/\[.*\n[\s\S]*\S/);
  });

  it.skipIf(process.platform === 'win32')('is not used when the folder is not private, nor with ISOLATED_CALL_TS_CACHE=off', () => {
    const dir = project(esm);
    const { env, cache } = withTemp(dir);
    mkdirSync(cache);
    chmodSync(cache, 0o755); // another mode than 0700: someone else may write there
    const refused = runNodeJson(['--import', 'tsx', 'main.ts'], { cwd: dir, env });
    expect(refused.json.results[0].value).toBe(1);
    expect(readdirSync(cache)).toEqual([]);
    // Said once by the parent, naming the folder and why.
    expect(refused.stderr.match(/ISOLATED_CALL_CACHE_REFUSED/g)).toHaveLength(1);
    expect(refused.stderr).toContain(`${cache} is not used: its mode is 0755, not 0700`);
    rmSync(cache, { recursive: true });
    expect(
      runNodeJson(['--import', 'tsx', 'main.ts'], { cwd: dir, env: { ...env, ISOLATED_CALL_TS_CACHE: 'off' } }).json.results[0].value,
    ).toBe(1);
    expect(existsSync(cache)).toBe(false);
  });

  it.skipIf(process.platform === 'win32')("holds the typescript require hook's output too: a hit never loads the compiler", () => {
    // The hook jest + ts-jest projects get without esbuild (dist/typescript-hook.cjs), preloaded as a child would be.
    const dir = project({ ...cjs, 'print.ts': "console.log(JSON.stringify({ value: require('./helper').answer(2) }));\n" });
    symlinkSync(dirname(require.resolve('typescript/package.json')), join(dir, 'node_modules', 'typescript'), 'dir');
    const { env, cache } = withTemp(dir);
    const hook = join(root, 'dist', 'typescript-hook.cjs');
    const probe =
      "require('./print.ts'); process.on('exit', () => console.log(JSON.stringify({ loaded: Object.keys(require.cache).some((f) => /[\\\\/]typescript[\\\\/]lib[\\\\/]typescript\\.js$/.test(f)) })))";
    const first = runNode(['--require', hook, '-e', probe], { cwd: dir, env }).stdout;
    expect(first).toContain('{"value":4}');
    expect(first).toContain('{"loaded":true}');
    expect(entries(cache).some((entry) => entry.text.split('\n')[0]?.includes('typescript@'))).toBe(true);
    const second = runNode(['--require', hook, '-e', probe], { cwd: dir, env }).stdout;
    expect(second).toContain('{"value":4}');
    expect(second).toContain('{"loaded":false}');
  });
});

const statMode = (path: string) => statSync(path).mode & 0o777;
