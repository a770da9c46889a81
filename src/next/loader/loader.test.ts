import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadIsolatedModule } from '../load-isolated-module.js';
import { compileClosure, type Swc } from './compile-closure.js';
import { definesIsolatedCode, hasNextDirective } from './defines-isolated.js';
import { resolveSource } from './resolve-source.js';
import { readProjectSettings } from './tsconfig.js';

// Next's SWC isn't a dependency here: typescript's CommonJS output has the same require("…") calls the loader rewrites.
const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');
const fakeSwc: Swc = {
  transformSync: (source, options) => ({
    code: ts.transpileModule(source, {
      fileName: (options as { filename: string }).filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText,
  }),
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'next-loader-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

describe('definesIsolatedCode', () => {
  test.each([
    ["import { isolate } from 'isolated-call';\nexport const f = isolate(async () => 1);", true],
    ["import { Isolated as Iso } from 'isolated-call';\nclass A { @Iso() async m() {} }", true],
    ["import * as ic from 'isolated-call';\nexport const f = ic.isolate(async function f() {});", true],
    ["const { isolate } = require('isolated-call');\nexports.f = isolate(async () => 1);", true],
    // Calls isolated code, or asks isModuleLoaded(): left to the bundler.
    ["import { isModuleLoaded } from 'isolated-call';\nimport { transpile } from './t';\ntranspile('x'); isModuleLoaded('x');", false],
    ["import type { IsolatedOptions } from 'isolated-call';\nexport const o: IsolatedOptions = {};", false],
    ["import { isolate } from 'isolated-call';\n// isolate is imported and never called", false],
  ])('%j → %s', (source, expected) => {
    expect(definesIsolatedCode(source)).toBe(expected);
  });

  test("'use server' and 'use client' modules are Next's to compile", () => {
    expect(hasNextDirective("'use server';\nimport x from 'y';")).toBe(true);
    expect(hasNextDirective('/* a comment */\n"use client"\n')).toBe(true);
    expect(hasNextDirective("import x from 'y';\n'use server';")).toBe(false);
  });
});

describe('readProjectSettings and resolveSource', () => {
  test('tsconfig with comments, trailing commas and extends; paths resolve from the tsconfig that holds them', () => {
    write({
      'tsconfig.base.json': '{ "compilerOptions": { "experimentalDecorators": true, // legacy\n "paths": { "@/*": ["./src/*"], }, } }',
      'tsconfig.json': '/* app */ { "extends": "./tsconfig.base.json", "compilerOptions": { "emitDecoratorMetadata": true } }',
      'src/util/index.ts': 'export const u = 1;',
      'src/banner.tsx': 'export const b = 1;',
      'src/main.ts': '',
    });
    const settings = readProjectSettings(join(dir, 'src'), dir);
    expect(settings).toMatchObject({ file: join(dir, 'tsconfig.json'), experimentalDecorators: true, emitDecoratorMetadata: true });
    const from = join(dir, 'src/main.ts');
    expect(resolveSource('@/util', from, settings)).toBe(join(dir, 'src/util/index.ts'));
    expect(resolveSource('./banner.js', from, settings)).toBe(join(dir, 'src/banner.tsx'));
    expect(resolveSource('typescript', from, settings)).toBeUndefined();
    expect(resolveSource('./missing', from, settings)).toBeUndefined();
  });
});

describe('compileClosure', () => {
  test('the module and the app files it imports, their imports rewritten to the compiled files; packages and server-only left out', () => {
    write({
      'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }',
      'lib/transpiler.ts':
        "import 'server-only';\nimport './styles.css';\nimport { banner } from './banner';\nimport { util } from '@/shared/util';\nimport ts from 'typescript';\n" +
        "export const f = () => banner + util + ts.version + require('./legacy.js').x;",
      'lib/legacy.js': 'exports.x = 1;',
      'lib/styles.css': 'body {}',
      'lib/banner.ts': "import { util } from '../shared/util';\nexport const banner = 'b' + util;",
      'shared/util.ts': "export const util = 'u';",
    });
    const settings = readProjectSettings(join(dir, 'lib'), dir);
    const closure = compileClosure(join(dir, 'lib/transpiler.ts'), dir, settings, fakeSwc);
    expect(closure.entry).toBe('lib/transpiler.ts.cjs');
    expect(Object.keys(closure.files).sort()).toEqual([
      'lib/banner.ts.cjs',
      'lib/legacy.js.cjs',
      'lib/transpiler.ts.cjs',
      'shared/util.ts.cjs',
    ]);
    const entry = closure.files['lib/transpiler.ts.cjs']!;
    expect(entry).toContain('require("./banner.ts.cjs")');
    expect(entry).toContain('require("../shared/util.ts.cjs")');
    expect(entry).toContain('require("typescript")');
    expect(entry).toContain('require("./legacy.js.cjs")'); // written with ' in the source
    expect(entry).not.toContain('server-only');
    expect(entry).not.toContain('styles.css');
    expect(closure.files['lib/banner.ts.cjs']).toContain('require("../shared/util.ts.cjs")');
    expect(closure.sources.sort()).toEqual(
      [join(dir, 'lib/banner.ts'), join(dir, 'lib/legacy.js'), join(dir, 'lib/transpiler.ts'), join(dir, 'shared/util.ts')].sort(),
    );
  });
});

describe('loadIsolatedModule', () => {
  test('writes the files once per content and requires the entry from there', () => {
    const outDir = join(dir, '.next/isolated-call');
    const spec = {
      outDir,
      entry: 'lib/a.ts.cjs',
      files: { 'lib/a.ts.cjs': 'exports.b = require("./b.ts.cjs").b + 1;', 'lib/b.ts.cjs': 'exports.b = 41;' },
    };
    expect(loadIsolatedModule(spec)).toEqual({ b: 42 });
    expect(loadIsolatedModule(spec)).toEqual({ b: 42 });
    const edited = { ...spec, files: { ...spec.files, 'lib/b.ts.cjs': 'exports.b = 1;' } };
    expect(loadIsolatedModule(edited)).toEqual({ b: 2 });
    expect(readdirSync(outDir)).toHaveLength(2); // one folder per content: an edit never overwrites what a child may be loading
  });

  test.each([
    ['a relative outDir', { outDir: 'out', entry: 'a.cjs', files: { 'a.cjs': '' } }],
    ['a path out of the folder', { outDir: '/x', entry: 'a.cjs', files: { 'a.cjs': '', '../b.cjs': '' } }],
    ['an absolute path', { outDir: '/x', entry: '/a.cjs', files: { '/a.cjs': '' } }],
    ['an entry that is not among the files', { outDir: '/x', entry: 'b.cjs', files: { 'a.cjs': '' } }],
    ['a file that is not text', { outDir: '/x', entry: 'a.cjs', files: { 'a.cjs': 1 } }],
  ])('rejects %s before writing anything', (_name, spec) => {
    expect(() => loadIsolatedModule(spec as never)).toThrow(TypeError);
  });
});
