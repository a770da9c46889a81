// `isolated-call cost`: the built bin (dist/cli.cjs) run as a user runs it, in a
// temporary project whose node_modules links the real packages of this repo.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'dist/cli.cjs');
let project: string;
/** util-linux's `script`, to run the bin on a terminal. */
const hasScript = spawnSync('script', ['--version']).status === 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the bin in `cwd` with `args` to its end. Its temp folder (the TypeScript loader's cache) is the project's. */
function runCost(args: string[], { cwd = project, tty = false } = {}): Promise<Run> {
  const started = Date.now();
  // `script` gives the bin a terminal, where it shows its progress line.
  const [file, argv] = tty
    ? ['script', ['-qec', [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' '), '/dev/null']]
    : [process.execPath, [bin, ...args]];
  const child = spawn(file as string, argv as string[], { cwd, env: { ...process.env, TMPDIR: join(project, 'tmp') } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

interface Row {
  module: string;
  ok: boolean;
  format: string | null;
  importMs: number | null;
  rssMb: number | null;
  privateMb: number | null;
  fileMb: number | null;
  heapMb: number | null;
  keptAfterUnloadMb: number | null;
  error?: string;
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'isolated-call-cost-'));
  mkdirSync(join(project, 'tmp'));
  writeFileSync(join(project, 'package.json'), '{ "name": "cost-test-project", "private": true }\n');
  // The real packages, as this project's own dependencies.
  mkdirSync(join(project, 'node_modules/@arethetypeswrong'), { recursive: true });
  symlinkSync(join(root, 'node_modules/typescript'), join(project, 'node_modules/typescript'));
  symlinkSync(join(root, 'node_modules/@arethetypeswrong/core'), join(project, 'node_modules/@arethetypeswrong/core'));
  // A package only this project has: resolved from the working folder, not from the SDK.
  mkdirSync(join(project, 'node_modules/cost-probe'));
  writeFileSync(join(project, 'node_modules/cost-probe/package.json'), '{ "name": "cost-probe", "main": "index.js" }\n');
  writeFileSync(
    join(project, 'node_modules/cost-probe/index.js'),
    'module.exports = Array.from({ length: 200 }, (_, i) => Buffer.alloc(100_000, i).toString("latin1"));\n',
  );
  // A dual package: each kind of project gets its own entry.
  mkdirSync(join(project, 'node_modules/dual-probe'));
  writeFileSync(
    join(project, 'node_modules/dual-probe/package.json'),
    '{ "name": "dual-probe", "exports": { "require": "./index.cjs", "import": "./index.mjs" } }\n',
  );
  writeFileSync(join(project, 'node_modules/dual-probe/index.cjs'), 'module.exports = "commonjs";\n');
  writeFileSync(join(project, 'node_modules/dual-probe/index.mjs'), 'export default "esm";\n');
  mkdirSync(join(project, 'esm-app'));
  writeFileSync(join(project, 'esm-app/package.json'), '{ "name": "esm-app", "type": "module" }\n');
  writeFileSync(join(project, 'local.ts'), 'const answer: number = 42;\nexport const doubled: number = answer * 2;\n');
  writeFileSync(join(project, 'local.mts'), 'export const typed: string = "module";\n');
  writeFileSync(join(project, 'throws.cjs'), 'throw new Error("boom while importing");\n');
  writeFileSync(
    join(project, 'noisy.cjs'),
    'console.log("[not json] stdout of a module");\nconsole.error("stderr of a module");\nmodule.exports = 1;\n',
  );
  writeFileSync(join(project, 'dies.cjs'), 'console.error("dying words");\nprocess.exit(3);\n');
  // The module shares the child's IPC channel: what it sends there is checked like the child's report.
  writeFileSync(
    join(project, 'forges.cjs'),
    'process.send({ __isolatedCallCost: 1, ok: true, format: "esm", importMs: -1 });\nsetTimeout(() => {}, 5000);\n',
  );
  writeFileSync(join(project, 'loops.cjs'), 'for (;;) {}\n');
});

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

describe('isolated-call cost --json', () => {
  let run: Run;
  let rows: Row[];
  const row = (module: string) => rows.find((r) => r.module === module)!;

  beforeAll(async () => {
    run = await runCost([
      'cost',
      '--json',
      'node:path',
      './throws.cjs',
      'typescript',
      './local.ts',
      './local.mts',
      'cost-probe',
      '@arethetypeswrong/core',
      './noisy.cjs',
      'not-installed-anywhere',
      './dies.cjs',
      './forges.cjs',
    ]);
    rows = JSON.parse(run.stdout) as Row[];
  }, 120_000);

  it('prints one JSON array, most costly first, failures last, and exits with 1 when a module failed', () => {
    expect(run.code).toBe(1);
    expect(rows.map((r) => r.module).sort()).toEqual(
      [
        'node:path',
        './throws.cjs',
        'typescript',
        './local.ts',
        './local.mts',
        'cost-probe',
        '@arethetypeswrong/core',
        './noisy.cjs',
        'not-installed-anywhere',
        './dies.cjs',
        './forges.cjs',
      ].sort(),
    );
    const loaded = rows.filter((r) => r.ok);
    expect(loaded.map((r) => r.rssMb)).toEqual(loaded.map((r) => r.rssMb).sort((a, b) => b! - a!));
    expect(rows.slice(loaded.length).every((r) => !r.ok)).toBe(true);
  });

  it('gives each module the documented fields: numbers when loaded, an error only when failed', () => {
    const numbers = ['importMs', 'rssMb', 'privateMb', 'fileMb', 'heapMb', 'keptAfterUnloadMb'];
    for (const r of rows) {
      const keys = ['module', 'ok', 'format', ...numbers, ...(r.ok ? [] : ['error'])];
      expect(Object.keys(r).sort()).toEqual(keys.sort());
      if (r.ok) {
        for (const key of numbers) expect(typeof r[key as keyof Row], `${r.module} ${key}`).toBe('number');
        expect(r.privateMb! + r.fileMb!).toBeLessThanOrEqual(r.rssMb! + 0.3);
      } else {
        for (const key of numbers) expect(r[key as keyof Row]).toBeNull();
        expect(typeof r.error).toBe('string');
      }
    }
  });

  it('measures typescript at tens of MB, and nearly all of it stays after deleting it from require.cache', () => {
    const ts = row('typescript');
    expect(ts).toMatchObject({ ok: true, format: 'commonjs' });
    expect(ts.rssMb).toBeGreaterThan(15);
    expect(ts.rssMb).toBeLessThan(400);
    expect(ts.heapMb).toBeGreaterThan(5);
    expect(ts.importMs).toBeGreaterThan(20);
    expect(ts.keptAfterUnloadMb).toBeGreaterThan(ts.rssMb! / 2);
  });

  it('measures a built-in at near zero', () => {
    const path = row('node:path');
    expect(path).toMatchObject({ ok: true, format: 'builtin' });
    expect(Math.abs(path.rssMb!)).toBeLessThan(2);
    expect(Math.abs(path.heapMb!)).toBeLessThan(1);
  });

  it("keeps an ES module's memory after a full GC: it cannot be dropped from the module cache", () => {
    const esm = row('@arethetypeswrong/core');
    expect(esm).toMatchObject({ ok: true, format: 'esm' });
    expect(esm.rssMb).toBeGreaterThan(10);
    expect(esm.keptAfterUnloadMb).toBeGreaterThan(esm.rssMb! * 0.8);
  });

  it('loads local TypeScript files through the children’s loader, CommonJS and ES module', () => {
    expect(row('./local.ts')).toMatchObject({ ok: true, format: 'commonjs' });
    expect(row('./local.mts')).toMatchObject({ ok: true, format: 'esm' });
  });

  it("resolves package names from the working folder: a package only the user's project has", () => {
    const probe = row('cost-probe');
    expect(probe).toMatchObject({ ok: true, format: 'commonjs' });
    // 200 strings of 100 kB each.
    expect(probe.heapMb).toBeGreaterThan(15);
    expect(probe.rssMb).toBeGreaterThan(15);
  });

  it('reports a module that throws, or is not installed, with its error; the others are still measured', () => {
    expect(row('./throws.cjs')).toMatchObject({ ok: false, error: expect.stringContaining('boom while importing') });
    expect(row('not-installed-anywhere')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/cannot find "not-installed-anywhere" from /),
    });
    expect(rows.filter((r) => r.ok)).toHaveLength(7);
  });

  it('reports a child that died before reporting with its stderr, and one whose report is malformed', () => {
    expect(row('./dies.cjs')).toMatchObject({
      ok: false,
      error: 'the measuring child exited with code 3 before reporting: dying words',
    });
    expect(row('./forges.cjs')).toMatchObject({
      ok: false,
      error: 'the measuring child sent an invalid report: report with an invalid importMs',
    });
  });

  it("keeps a module's own stdout and stderr out of the output", () => {
    expect(row('./noisy.cjs')).toMatchObject({ ok: true });
    expect(run.stdout).not.toContain('of a module');
    expect(run.stderr).not.toContain('of a module');
  });
});

describe('isolated-call cost (table)', () => {
  it('resolves a dual package as the project would import it: ES module entry in a "type": "module" project', async () => {
    const inCommonJs = await runCost(['cost', '--json', 'dual-probe']);
    const inEsm = await runCost(['cost', '--json', 'dual-probe'], { cwd: join(project, 'esm-app') });
    expect(JSON.parse(inCommonJs.stdout)).toMatchObject([{ module: 'dual-probe', ok: true, format: 'commonjs' }]);
    expect(JSON.parse(inEsm.stdout)).toMatchObject([{ module: 'dual-probe', ok: true, format: 'esm' }]);
  }, 60_000);

  it('prints an aligned table sorted by RSS with a bar per module, failures below it; no progress line off a terminal', async () => {
    const run = await runCost(['cost', 'node:path', './throws.cjs', 'typescript']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^module\s+format\s+import ms\s+RSS MB\s+private\s+file\s+heap MB\s+kept MB$/);
    expect(lines[1]).toMatch(/^typescript\s+commonjs\s+[\d.]+\s+[\d.]+\s+.*█{30}$/);
    expect(lines[2]).toMatch(/^node:path\s+builtin\s/);
    // Aligned: the numbers of each row end where their header does.
    const rssEnd = lines[0]!.indexOf('RSS MB') + 'RSS MB'.length;
    for (const line of lines.slice(1, 3)) expect(line[rssEnd - 1]).toMatch(/\d/);
    expect(line(lines, 'typescript').split('█').length - 1).toBeGreaterThan(line(lines, 'node:path').split('█').length - 1);
    expect(run.stdout).toMatch(/^\.\/throws\.cjs: failed: boom while importing$/m);
  }, 60_000);

  it.skipIf(!hasScript)(
    'shows a progress line on stderr when it is a terminal',
    async () => {
      const run = await runCost(['cost', 'node:path'], { tty: true });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('[1/1] loading node:path...');
      expect(run.stdout).toMatch(/node:path\s+builtin/);
    },
    60_000,
  );

  it('kills a module that never finishes loading after --timeout', async () => {
    const run = await runCost(['cost', '--timeout', '1500', './loops.cjs', 'node:path']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^\.\/loops\.cjs: failed: no report within 1500 ms/m);
    expect(run.stdout).toMatch(/node:path\s+builtin/);
    expect(run.ms).toBeLessThan(20_000);
  }, 60_000);
});

describe('isolated-call usage', () => {
  it('--help prints the usage on stdout and exits with 0', async () => {
    const run = await runCost(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: isolated-call cost \[--json\] \[--timeout MS\] <module\.\.\.>/);
  });

  it.each([
    [[], /no command given/],
    [['cost'], /no modules given/],
    [['price', 'typescript'], /unknown command "price"/],
    [['cost', '--timeout', 'soon', 'typescript'], /--timeout must be a whole number/],
    [['cost', '--frobnicate', 'typescript'], /Unknown option '--frobnicate'/],
  ])('%j prints the usage and exits with 2', async (args, says) => {
    const run = await runCost(args);
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toMatch(says);
    expect(run.stdout + run.stderr).toContain('Usage: isolated-call cost [--json] [--timeout MS] <module...>');
  });
});

describe('the SDK entries', () => {
  it('hold none of the cost command: it is a build entry of its own', () => {
    for (const entry of ['index.js', 'index.cjs', 'bullmq.js', 'child-build.cjs']) {
      expect(readFileSync(join(root, 'dist', entry), 'utf8'), entry).not.toContain('__isolatedCallCost');
    }
    expect(readFileSync(join(root, 'dist/cost-child.mjs'), 'utf8')).toContain('__isolatedCallCost');
  });
});

function line(lines: string[], module: string): string {
  return lines.find((l) => l.startsWith(`${module} `)) ?? '';
}
