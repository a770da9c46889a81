import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addProject, codeBlocks, lastJson, ok, packTarball, prepareWorkspace, run, type WorkspaceSpec } from './helpers/consumers.js';

/*
 * Real projects as users set them up: the packed tarball installed with
 * today's packages from npm (see helpers/consumers.ts), each workspace
 * holding what the docs tell a user to install for that setup and nothing
 * that would hide a missing piece. Doc snippets are read from the docs at
 * test time, so what runs is what is written.
 */

const WORKSPACES = {
  // ts-node with only ts-node (no tsx); jest + ts-jest where ts-node is installed too (it changes nothing for the child).
  tsNode: { name: 'ts-node', packages: ['typescript@5', 'ts-node', '@types/node@20', 'jest', 'ts-jest', '@types/jest'] },
  // jest + ts-jest as its docs install it (typescript@5: ts-jest wants typescript <7), and nothing else.
  jest: { name: 'jest', packages: ['jest', 'ts-jest', '@types/jest', 'typescript@5'] },
  // What the vitest recipe in docs/pitfalls.md names, and nothing else. In a folder named tsx/:
  // vitest's --require of a file under it once passed for a TypeScript loader, and the child got none.
  vitest: { name: 'tsx/vitest', packages: ['vitest', 'tsx', 'esbuild'] },
  // What README's quick start and getting-started name; TypeScript 7 (and no @types/*) for the types check.
  docs: { name: 'docs', packages: ['typescript@5', 'tsx', 'typescript-7@npm:typescript@7'] },
  // An app bundled with esbuild (docs/bundling.md), typescript as the heavy dependency.
  bundles: { name: 'bundles', packages: ['esbuild', 'typescript@5'] },
  // docs/scaling-out.md's install line: the optional peers of isolated-call/bullmq.
  bullmq: { name: 'bullmq', packages: ['bullmq', 'ioredis'] },
} satisfies Record<string, WorkspaceSpec>;

/** The packages of `npm install` lines in shell code (isolated-call itself is the tarball). */
function installed(shell: string): string[] {
  return [...shell.matchAll(/^npm install (?:-D )?(.+)$/gm)]
    .flatMap((m) => m[1]!.trim().split(/\s+/))
    .filter((p) => p !== 'isolated-call' && p !== '-D')
    .sort();
}

const ws = {} as Record<keyof typeof WORKSPACES, string>;
let packDir: string;
let setupMs = 0;

beforeAll(async () => {
  const started = performance.now();
  packDir = mkdtempSync(join(tmpdir(), 'isolated-call-pack-'));
  const tarball = await packTarball(packDir);
  await Promise.all(
    Object.entries(WORKSPACES).map(async ([key, spec]) => {
      ws[key as keyof typeof WORKSPACES] = await prepareWorkspace(spec, tarball);
    }),
  );
  setupMs = Math.round(performance.now() - started);
}, 300_000);

afterAll(() => {
  if (packDir) rmSync(packDir, { recursive: true, force: true });
  console.log(`consumer workspaces ready in ${setupMs} ms`);
});

describe('ts-node, with only ts-node installed', () => {
  const expectCjsRun = (stdout: string) => {
    const r = lastJson(stdout);
    // Compiled in the child with the project's tsconfig.json, as in the parent.
    expect(r.multiplied).toMatchObject({ value: 42, child: true, dialect: 'legacy' });
    expect(r.multiplied.pid).not.toBe(r.parent);
    // The child's own flag (maxOldSpaceSize) reached node, ahead of ts-node's bin.js.
    expect(r.heapLimitMb).toBeGreaterThan(480);
    expect(r.heapLimitMb).toBeLessThan(1000);
  };

  test('npx ts-node src/main.ts (CommonJS, legacy decorators with metadata)', async () => {
    const dir = addProject(ws.tsNode, 'ts-node-cjs', 'ts-node-cjs');
    expectCjsRun((await ok('npx', ['--no-install', 'ts-node', 'src/main.ts'], dir)).stdout);
  }, 60_000);

  test('npx ts-node --transpile-only -P tsconfig.json src/main.ts: its options reach the child', async () => {
    const dir = addProject(ws.tsNode, 'ts-node-cjs-options', 'ts-node-cjs');
    expectCjsRun((await ok('npx', ['--no-install', 'ts-node', '--transpile-only', '-P', 'tsconfig.json', 'src/main.ts'], dir)).stdout);
  }, 60_000);

  test('node -r ts-node/register src/main.ts', async () => {
    const dir = addProject(ws.tsNode, 'ts-node-register', 'ts-node-cjs');
    expectCjsRun((await ok(process.execPath, ['-r', 'ts-node/register', 'src/main.ts'], dir)).stdout);
  }, 60_000);

  test.each([
    ['--loader ts-node/esm', ['--loader', 'ts-node/esm']],
    // The form Node's warning about --loader recommends.
    [
      '--import data:…register("ts-node/esm")',
      [
        '--import',
        'data:text/javascript,import { register } from "node:module"; import { pathToFileURL } from "node:url"; register("ts-node/esm", pathToFileURL("./"));',
      ],
    ],
  ])(
    'node %s main.ts (ES modules)',
    async (_, flags) => {
      const dir = addProject(ws.tsNode, 'ts-node-esm', 'ts-node-esm');
      const r = lastJson((await ok(process.execPath, [...flags, 'main.ts'], dir)).stdout);
      expect(r.shouted).toMatchObject({ value: 'HI', child: true });
      expect(r.shouted.pid).not.toBe(r.parent);
    },
    60_000,
  );
});

describe('jest + ts-jest', () => {
  test.each([
    ["only what ts-jest needs (the child uses the project's typescript 5)", 'jest' as const],
    ["ts-node installed too (the child still uses the project's typescript 5)", 'tsNode' as const],
  ])(
    '%s: the suite passes, the child loading the .ts module',
    async (_, workspace) => {
      const dir = addProject(ws[workspace], 'jest-ts-jest', 'jest-ts-jest');
      const r = await run('npx', ['--no-install', 'jest', '--ci'], dir);
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(/Tests:\s+2 passed, 2 total/);
    },
    90_000,
  );
});

describe('vitest, standard decorators, the recipe in docs/pitfalls.md', () => {
  test('passes in a fresh project with what the recipe names, with no deprecation warning', async () => {
    const blocks = codeBlocks('docs/pitfalls.md', 'Decorators under test runners and loaders');
    const config = blocks.find((b) => b.code.startsWith('// vitest.config.ts'));
    expect(config, 'the vitest.config.ts block in docs/pitfalls.md').toBeDefined();
    expect(
      installed(
        blocks
          .filter((b) => b.lang === 'sh')
          .map((b) => b.code)
          .join('\n'),
      ),
    ).toEqual([...WORKSPACES.vitest.packages].sort());
    const dir = addProject(ws.vitest, 'vitest-tc39', undefined, [
      ['ts/worker.ts', 'worker.ts'],
      ['ts/worker.spec.ts', 'worker.spec.ts'],
      ['ts/tsconfig.tc39.json', 'tsconfig.json'],
    ]);
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'vitest.config.ts'), config!.code);
    const r = await run('npx', ['--no-install', 'vitest', 'run'], dir);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('dialect: tc39');
    expect(r.output).not.toMatch(/deprecated/i);
  }, 90_000);
});

describe('vitest, default config', () => {
  test('isolate() arrows in a .ts module keep their ids after vi.resetModules()', async () => {
    const dir = addProject(ws.vitest, 'vitest-reset', 'vitest-reset');
    const r = await run('npx', ['--no-install', 'vitest', 'run'], dir);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/Tests\s+1 passed/);
  }, 60_000);
});

/** Writes a doc's `// file.ts` blocks into a project, runs its `npx tsx main.ts` and checks the `// prints: …` comments on console.log lines. */
async function runDocSnippets(name: string, blocks: { lang: string; code: string }[]): Promise<void> {
  const dir = addProject(ws.docs, name, undefined);
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const expected: string[] = [];
  let main: string | undefined;
  for (const block of blocks.filter((b) => b.lang === 'ts')) {
    const file = /^\/\/ ([\w.-]+\.ts)\b/.exec(block.code)?.[1];
    if (!file) continue;
    writeFileSync(join(dir, file), block.code);
    if (file === 'main.ts') {
      main = file;
      for (const line of block.code.split('\n')) {
        const comment = /^console\.log\(.*\);\s*\/\/ prints: (.*)$/.exec(line);
        if (comment) expected.push(comment[1]!.trim());
      }
    }
  }
  expect(main, `${name}: a "// main.ts" block`).toBeDefined();
  const r = await ok('npx', ['--no-install', 'tsx', main!], dir);
  expect(
    r.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  ).toEqual(expected);
}

describe('doc snippets, run as written', () => {
  test('README quick start: its install line names what runs it, and main.ts prints what its comments say', async () => {
    const blocks = codeBlocks('README.md', 'Quick start');
    const shell = blocks
      .filter((b) => b.lang === 'sh')
      .map((b) => b.code)
      .join('\n');
    // The workspace holds exactly what the install lines name (isolated-call is the tarball).
    expect(installed(shell)).toEqual(['tsx', 'typescript@5']);
    expect(shell).toContain('npx tsx main.ts');
    await runDocSnippets('readme-quick-start', blocks);
  }, 60_000);

  test.each([
    ['1. Put the method in its own module', '2. Call it as usual'],
    ['4. Without classes', undefined],
  ])(
    'docs/getting-started.md "%s"',
    async (first, second) => {
      const blocks = [...codeBlocks('docs/getting-started.md', first), ...(second ? codeBlocks('docs/getting-started.md', second) : [])];
      await runDocSnippets(`getting-started-${first.slice(0, 1)}`, blocks);
    },
    60_000,
  );
});

describe('plain JavaScript isolate()', () => {
  test('arrow functions held by exported consts (ESM and CommonJS), and one no export holds, run in a child with no id', async () => {
    const dir = addProject(ws.docs, 'js-isolate', 'js-isolate');
    const r = lastJson((await ok(process.execPath, ['main.mjs'], dir)).stdout);
    expect(r.double).toMatchObject({ value: 42, child: true });
    expect(r.triple).toMatchObject({ value: 15, child: true });
    expect(r.negated).toMatchObject({ value: 4, child: true });
    expect(r.square).toMatchObject({ value: 49, child: true });
    for (const key of ['double', 'triple', 'negated', 'square']) expect(r[key].pid).not.toBe(r.parent);
  }, 60_000);

  test('an isolate() function in the main script: the warning says to move the isolate() call, not a class', async () => {
    const dir = addProject(ws.docs, 'js-isolate-main', 'js-isolate');
    const r = await ok(process.execPath, ['defined-in-main.mjs'], dir);
    expect(lastJson(r.stdout)).toEqual({ half: 4 });
    expect(r.stderr).toContain('ISOLATED_CALL_MAIN_MODULE');
    expect(r.stderr).toMatch(/Move the isolate\(\) call to a module of its own/);
    expect(r.stderr).not.toMatch(/Move the class/);
  }, 60_000);
});

describe('the published types', () => {
  test.each([
    ['TypeScript 5.9', 'typescript'],
    ['TypeScript 7 (native)', 'typescript-7'],
  ])(
    '%s type-checks a consumer with default settings, skipLibCheck off and no @types/node',
    async (_, pkg) => {
      const dir = addProject(ws.docs, `types-${pkg}`, 'types');
      const r = await run(process.execPath, [join(ws.docs, 'node_modules', pkg, 'bin', 'tsc'), '-p', '.'], dir);
      expect(r.code, r.output).toBe(0);
    },
    60_000,
  );
});

describe('isolated-call/bullmq from the tarball (docs/scaling-out.md)', () => {
  test('resolves in ESM and CommonJS; the bin prints its usage', async () => {
    const dir = ws.bullmq;
    const esm = "const m = await import('isolated-call/bullmq'); console.log(typeof m.bullmqRunner, typeof m.startWorker);";
    const cjs = "const m = require('isolated-call/bullmq'); console.log(typeof m.bullmqRunner, typeof m.startWorker);";
    for (const [type, code] of [
      ['module', esm],
      ['commonjs', cjs],
    ] as const) {
      const r = await ok(process.execPath, [`--input-type=${type}`, '-e', code], dir);
      expect(r.stdout.trim()).toBe('function function');
    }
    const bin = await run(join(dir, 'node_modules/.bin/isolated-call-worker'), ['--help'], dir);
    expect(bin.code).toBe(0);
    expect(bin.stderr).toMatch(/--redis redis:\/\/HOST:PORT --queue NAME/);
  });
});

describe('isolated-call cost from the tarball (README, "What to isolate")', () => {
  test("the bin measures the project's own typescript and a built-in, each in a child of its own", async () => {
    const r = await run(join(ws.docs, 'node_modules/.bin/isolated-call'), ['cost', '--json', 'typescript', 'node:path'], ws.docs);
    expect(r.code, r.output).toBe(0);
    const rows = JSON.parse(r.stdout) as { module: string; ok: boolean; format: string; rssMb: number }[];
    expect(rows.map((row) => [row.module, row.ok, row.format])).toEqual([
      ['typescript', true, 'commonjs'],
      ['node:path', true, 'builtin'],
    ]);
    expect(rows[0]!.rssMb).toBeGreaterThan(15);
  }, 60_000);
});

describe('apps bundled with esbuild (docs/bundling.md)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = addProject(ws.bundles, 'esbuild-app', 'bundles');
    const built = await ok(process.execPath, ['build.mjs'], dir);
    expect(lastJson(built.stdout)).toHaveLength(18);
  }, 60_000);

  /** How many times the app's main() started, in the parent and in any child (children share the parent's stdout). */
  const mainRuns = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('main: start')).length;

  test.each([
    ['CommonJS, isolated-call external', 'main-cjs-external.cjs'],
    ['CommonJS, isolated-call bundled in', 'main-cjs-bundled.cjs'],
    ['ESM, isolated-call external', 'main-esm-external.mjs'],
    ['ESM, isolated-call bundled in', 'main-esm-bundled.mjs'],
  ])(
    '%s: a guarded entry runs its main once, the child finds the unexported class in the bundle',
    async (_, bundle) => {
      const r = await ok(process.execPath, [`dist/${bundle}`], dir);
      const out = lastJson(r.stdout);
      expect(out.multiplied).toMatchObject({ value: 42, child: true });
      expect(out.shouted).toMatchObject({ value: 'HI' });
      expect(out.multiplied.pid).not.toBe(out.parent);
      expect(out.shouted.pid).not.toBe(out.parent);
      expect(mainRuns(r.stdout)).toBe(1);
      // Nothing of typescript is in the bundle, and the bundle says what it holds: a confident false.
      expect(out.typescriptLoaded).toBe(false);
      // The guard was asked before the first call: no main-script warning.
      expect(r.stderr).not.toContain('ISOLATED_CALL');
    },
    60_000,
  );

  test.each([
    ['CommonJS, isolated-call external', 'instance-only-cjs-external.cjs'],
    ['CommonJS, isolated-call bundled in', 'instance-only-cjs-bundled.cjs'],
    ['ESM, isolated-call external', 'instance-only-esm-external.mjs'],
    ['ESM, isolated-call bundled in', 'instance-only-esm-bundled.mjs'],
  ])(
    '%s: a class with only a standard instance method, not exported, is found (nothing but the bundle held it)',
    async (_, bundle) => {
      const out = lastJson((await ok(process.execPath, [`dist/${bundle}`], dir)).stdout);
      expect(out.added).toMatchObject({ value: 42, child: true });
      expect(out.added.pid).not.toBe(out.parent);
    },
    60_000,
  );

  test.each([
    ['CommonJS, isolated-call external', 'unguarded-cjs-external.cjs'],
    ['CommonJS, isolated-call bundled in', 'unguarded-cjs-bundled.cjs'],
    ['ESM, isolated-call external', 'unguarded-esm-external.mjs'],
    ['ESM, isolated-call bundled in', 'unguarded-esm-bundled.mjs'],
    ['ESM with top-level await, isolated-call external', 'unguarded-tla-esm-external.mjs'],
    ['ESM with top-level await, isolated-call bundled in', 'unguarded-tla-esm-bundled.mjs'],
  ])(
    '%s, no guard: the call fails with an error that names the bundle and shows the guard; the start-up in the child stops at its first isolated call',
    async (_, bundle) => {
      const r = await ok(process.execPath, [`dist/${bundle}`], dir);
      const out = lastJson(r.stdout);
      expect(out.error).toMatchObject({ name: 'ModuleLoadError', code: 'ERR_ISOLATED_MODULE_LOAD' });
      expect(out.error.causeCode).toBe('ISOLATED_CALL_UNGUARDED_ENTRY');
      expect(out.error.message).toContain(join(dir, 'dist', bundle));
      expect(out.error.message).toContain('if (!isIsolatedChild()) main();');
      // The parent said so before the call, and the child's start-up stopped at its first isolated call.
      expect(r.stderr).toContain('ISOLATED_CALL_MAIN_MODULE');
      expect(r.stdout.split('\n').filter((line) => line.startsWith('{'))).toHaveLength(1);
    },
    60_000,
  );

  test.each([
    ['CommonJS', 'two-copies-cjs.cjs'],
    ['ESM', 'two-copies-esm.mjs'],
  ])(
    '%s bundle holding both builds of isolated-call (an ES module and a CommonJS one import it): one shared state',
    async (_, bundle) => {
      const r = await ok(process.execPath, [`dist/${bundle}`], dir);
      const out = lastJson(r.stdout);
      expect(out.tripled).toMatchObject({ value: 15, child: true });
      expect(out.multiplied).toMatchObject({ value: 8, child: true });
      expect(out.tripled.pid).not.toBe(out.parent);
      expect(mainRuns(r.stdout)).toBe(1);
    },
    60_000,
  );

  test("typescript bundled in: the parent pays for it, and isModuleLoaded() says it can't tell; --external:typescript keeps it out", async () => {
    const bundled = lastJson((await ok(process.execPath, ['--expose-gc', 'dist/transpile-bundled.cjs'], dir)).stdout);
    const external = lastJson((await ok(process.execPath, ['--expose-gc', 'dist/transpile-external.cjs'], dir)).stdout);
    for (const r of [bundled, external]) expect(r.output).toBe('var x = 1;');
    expect(bundled.typescriptLoaded).toBe('ERR_ISOLATED_BUNDLED_MODULE');
    expect(external.typescriptLoaded).toBe(false);
    // About +46 MB measured (docs/bundling.md); well above noise either way.
    expect(bundled.startMb - external.startMb).toBeGreaterThan(25);
    console.log(`parent RSS at start: typescript bundled ${bundled.startMb} MB, external ${external.startMb} MB`);
  }, 60_000);
});
