import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addProject, lastJson, ok, packTarball, prepareWorkspace, type WorkspaceSpec } from './helpers/consumers.js';

/*
 * A NestJS service as users write it (issue #9, item 5), in a fresh project
 * with @nestjs/common and @nestjs/core 12 (today's, ES modules) and 11 (CommonJS) from npm (see
 * helpers/consumers.ts): an injected ConfigService-like provider and a
 * `Logger` field, isolated methods with no option, compiled by tsc (legacy
 * decorators, decorator metadata) and run under a real application context.
 */

const PACKAGES = ['reflect-metadata', 'rxjs', 'typescript@5', '@types/node@20'];

/** Today's NestJS (12, ES modules only) and the last CommonJS one (11), which `nest new` projects still use. */
const WORKSPACES = {
  esm: { name: 'nest', packages: ['@nestjs/common', '@nestjs/core', ...PACKAGES] },
  cjs: { name: 'nest-11', packages: ['@nestjs/common@11', '@nestjs/core@11', ...PACKAGES] },
} satisfies Record<string, WorkspaceSpec>;

/** The same sources, compiled as the project's format says. */
const FORMATS = {
  esm: { type: 'module', module: 'NodeNext', moduleResolution: 'NodeNext' },
  cjs: { type: 'commonjs', module: 'commonjs', moduleResolution: 'node10' },
};

const ws = {} as Record<keyof typeof WORKSPACES, string>;
let packDir: string;

beforeAll(async () => {
  packDir = mkdtempSync(join(tmpdir(), 'isolated-call-pack-'));
  const tarball = await packTarball(packDir);
  for (const [key, spec] of Object.entries(WORKSPACES)) ws[key as keyof typeof WORKSPACES] = await prepareWorkspace(spec, tarball);
}, 400_000);

afterAll(() => {
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

describe.each([
  ['NestJS 12, ES modules', 'esm' as const],
  ['NestJS 11, CommonJS', 'cjs' as const],
])('%s: an application context, a service with an injected provider and a Logger field', (_name, format) => {
  test('a method using only plain fields runs with no option; one reading this.config or this.logger names the field and the fix', async () => {
    const dir = addProject(ws[format], `nest-service-${format}`, 'nest');
    const { type, ...compilerOptions } = FORMATS[format];
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ type })}\n`);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          ...compilerOptions,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          strict: true,
          skipLibCheck: true,
          types: ['node'],
          rootDir: 'src',
          outDir: 'dist',
        },
      }),
    );
    await ok('npx', ['--no-install', 'tsc', '-p', '.'], dir);
    const r = lastJson((await ok(process.execPath, ['dist/main.js'], dir)).stdout);

    // (1) and (3): ran in a child, where the plain fields crossed and the others are still own keys.
    expect(r.converted).toMatchObject({ value: 11, currency: 'EUR', keys: ['config', 'currency', 'logger', 'rates'] });
    expect(r.converted.pid).not.toBe(r.parent);

    // (2): reading what stayed in the parent rejects, from the child, naming the field, its class and the ways out.
    for (const [result, field, cls] of [
      [r.title, 'config', 'ConfigService'],
      [r.logged, 'logger', 'Logger'],
    ] as const) {
      expect(result).toMatchObject({ name: 'SerializationError', code: 'ERR_ISOLATED_SERIALIZE', path: `this.${field}` });
      expect(result.pid).toEqual(expect.any(Number));
      expect(result.message).toContain(`Cannot send this.${field} to the other process (reported by the child, pid ${result.pid})`);
      expect(result.reason).toContain(`it stayed in the parent, and the method read it in the child: it is an instance of class ${cls}`);
      expect(result.reason).toContain(`registerClass(${cls})`);
      expect(result.reason).toMatch(new RegExp(`pass what the method needs as an argument, or make the method not use this\\.${field}$`));
    }
  }, 120_000);
});
