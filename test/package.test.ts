import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lastJsonLine } from './helpers/scripts.js';

/*
 * The package as users get it: `npm pack`, install the tarball into scratch
 * projects, and call the library there with real children. Sources of the
 * scratch projects are in test/fixtures/consumer/.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const consumer = join(root, 'test/fixtures/consumer');

// Exact versions from package-lock.json, so the npm cache already has them.
const TYPESCRIPT = 'typescript@5.9.3';
const TSX = 'tsx@4.23.15';
const VITEST = 'vitest@4.1.12';
const TYPES_NODE = '@types/node@20.19.43';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  output: string;
}

/** Our own runner's variables would leak into the scratch project's npm and vitest. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1', CI: '1' };
  for (const [key, value] of Object.entries(process.env)) {
    if (
      /^(VITEST|TEST$|NODE_ENV$|NODE_OPTIONS$|FORCE_COLOR$|INIT_CWD$|npm_(package|lifecycle|command|execpath)|npm_config_local_prefix$)/.test(
        key,
      )
    )
      continue;
    env[key] ??= value;
  }
  return env;
}

/** Runs a command and resolves with what it printed; never rejects on a non-zero exit. */
function run(command: string, args: string[], cwd: string, timeout = 90_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: cleanEnv(), timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr, output: `${stdout}\n${stderr}` });
    });
  });
}

/** Like `run`, but fails with everything the command printed when it exits non-zero. */
async function ok(command: string, args: string[], cwd: string): Promise<Run> {
  const result = await run(command, args, cwd);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${result.code}:\n${result.output}`);
  return result;
}

/** Runs a script that prints one JSON line and returns it parsed. */
async function runJson(command: string, args: string[], cwd: string): Promise<any> {
  return lastJsonLine((await ok(command, args, cwd)).stdout);
}

let work: string;
let tarball: string;
let packedFiles: string[];
let app: string;
let noTsx: string;

/** A scratch folder with the shared TypeScript sources and the chosen tsconfig. */
function tsScenario(project: string, name: string, dialect: 'tc39' | 'legacy', files: string[]): string {
  const dir = join(project, name);
  mkdirSync(dir, { recursive: true });
  for (const file of files) cpSync(join(consumer, 'ts', file), join(dir, file === 'vitest.esbuild.config.ts' ? 'vitest.config.ts' : file));
  cpSync(join(consumer, 'ts', `tsconfig.${dialect}.json`), join(dir, 'tsconfig.json'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  return dir;
}

function npmInstall(dir: string, packages: string[]): Promise<Run> {
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer-app', private: true })}\n`);
  return ok('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...packages], dir);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'isolated-call-package-'));
  const packed = await ok('npm', ['pack', '--json', '--pack-destination', work], root);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, info!.filename);
  packedFiles = info!.files.map((f) => f.path);

  app = join(work, 'app');
  noTsx = join(work, 'no-tsx');
  mkdirSync(app);
  mkdirSync(noTsx);
  for (const dir of ['cjs', 'esm', 'dual', 'cjs-tsc']) cpSync(join(consumer, dir), join(app, dir), { recursive: true });
  tsScenario(app, 'tsx-tc39', 'tc39', ['worker.ts', 'main.ts']);
  tsScenario(app, 'tsx-legacy', 'legacy', ['worker.ts', 'main.ts']);
  tsScenario(app, 'vitest-legacy', 'legacy', ['worker.ts', 'worker.spec.ts']);
  tsScenario(app, 'vitest-tc39', 'tc39', ['worker.ts', 'worker.spec.ts']);
  tsScenario(app, 'vitest-tc39-esbuild', 'tc39', ['worker.ts', 'worker.spec.ts', 'vitest.esbuild.config.ts']);
  tsScenario(noTsx, 'vitest-legacy', 'legacy', ['worker.ts', 'worker.spec.ts']);

  await Promise.all([npmInstall(app, [TYPESCRIPT, TSX, VITEST, TYPES_NODE]), npmInstall(noTsx, [VITEST])]);
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  test('holds the builds, their types and the child entry, and no sources or tests', () => {
    const builds = ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts'];
    for (const file of ['package.json', ...builds, 'dist/child.cjs', 'dist/child-build.cjs', 'dist/child-api.mjs']) {
      expect(packedFiles).toContain(file);
    }
    expect(packedFiles.filter((f) => /^(src|test|examples|docs)\/|\.tsbuildinfo$|^tsconfig|^vitest|^tsup/.test(f))).toEqual([]);
  });
});

describe('plain JavaScript', () => {
  test.each([
    ['CommonJS (require)', 'cjs/main.cjs'],
    ['ES module (import)', 'esm/main.mjs'],
  ])(
    '%s: isolate() and a hand-applied legacy decorator run in a child',
    async (_, script) => {
      const r = await runJson(process.execPath, [script], app);
      expect(r.square).toMatchObject({ value: 49, child: true });
      expect(r.square.pid).not.toBe(r.parent);
      expect(r.add.value).toBe(42);
      expect(r.add.pid).not.toBe(r.parent);
      expect(r.failed).toEqual({ name: 'RangeError', message: 'too big', sdkError: false });
    },
    60_000,
  );

  test('both builds in one process: each runs its calls in a child, errors are recognised across them', async () => {
    const r = await runJson(process.execPath, ['dual/main.mjs'], app);
    expect(r.builds).toBe(true);
    expect(r.viaEsm).toMatchObject({ value: 9, child: true });
    expect(r.viaCjs).toMatchObject({ value: 16, child: true });
    expect([r.viaEsm.pid, r.viaCjs.pid]).not.toContain(r.parent);
    expect(r.crossBuild).toBe(true);
  }, 60_000);
});

describe('TypeScript', () => {
  test('compiled by tsc to CommonJS against the .d.cts types', async () => {
    await ok(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'cjs-tsc'], app);
    const r = await runJson(process.execPath, ['cjs-tsc/build/main.js'], app);
    expect(r.format).toBe('function');
    expect(r.greeted).toMatchObject({ value: 'Hello, world', child: true });
    expect(r.greeted.pid).not.toBe(r.parent);
  }, 60_000);

  test.each(['tc39', 'legacy'] as const)(
    'run by tsx with %s decorators, and type-checked by tsc',
    async (dialect) => {
      const dir = join(app, `tsx-${dialect}`);
      await ok(process.execPath, ['../node_modules/typescript/bin/tsc', '-p', '.'], dir);
      const r = await runJson('npx', ['--no-install', 'tsx', 'main.ts'], dir);
      expect(r.dialects).toEqual([dialect]);
      for (const key of ['multiply', 'add', 'shouted']) {
        expect(r[key].child).toBe(true);
        expect(r[key].pid).not.toBe(r.parent);
      }
      expect([r.multiply.value, r.add.value, r.shouted.value]).toEqual([15, 5, 'HI']);
    },
    60_000,
  );
});

// A user's own vitest suite calling isolated methods defined in a .ts file.
// Vitest compiles TypeScript in its own process, so the parent has no loader
// flag to pass on: the SDK gives the child tsx's loader when tsx resolves.
describe("a user's vitest suite", () => {
  const vitest = (dir: string) => run('npx', ['--no-install', 'vitest', 'run'], dir);

  test('legacy decorators: passes, the child loading the .ts file with tsx', async () => {
    const r = await vitest(join(app, 'vitest-legacy'));
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('dialect: legacy');
  }, 60_000);

  test('TC39 decorators with the default Oxc transform: a SyntaxError before any library code runs', async () => {
    // Vite 8 (vitest 4.1) leaves standard decorators untransformed and Node 20
    // can't parse them. Not ours to fix; this documents it.
    const r = await vitest(join(app, 'vitest-tc39'));
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/SyntaxError: Invalid or unexpected token/);
    expect(r.output).not.toMatch(/IsolatedCallError|ModuleLoadError|node_modules\/isolated-call/);
  }, 60_000);

  test('TC39 decorators with esbuild as the TypeScript transform: passes', async () => {
    const r = await vitest(join(app, 'vitest-tc39-esbuild'));
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('dialect: tc39');
  }, 60_000);

  test('without tsx installed: a ModuleLoadError that says to install tsx', async () => {
    const r = await vitest(join(noTsx, 'vitest-legacy'));
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('ModuleLoadError');
    expect(r.output).toMatch(/is TypeScript and the child has no TypeScript loader\. Install tsx/);
  }, 60_000);
});
