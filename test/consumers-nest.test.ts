import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addProject, lastJson, ok, packTarball, prepareWorkspace, type WorkspaceSpec } from './helpers/consumers.js';

/*
 * A NestJS service as users write it (issue #9, item 5), in a fresh project
 * with today's @nestjs/common and @nestjs/core from npm (see
 * helpers/consumers.ts): an injected ConfigService-like provider and a
 * `Logger` field, isolated methods with no option, compiled by tsc (legacy
 * decorators, decorator metadata) and run under a real application context.
 */

const NEST: WorkspaceSpec = {
  name: 'nest',
  packages: ['@nestjs/common', '@nestjs/core', 'reflect-metadata', 'rxjs', 'typescript@5', '@types/node@20'],
};

let workspace: string;
let packDir: string;

beforeAll(async () => {
  packDir = mkdtempSync(join(tmpdir(), 'isolated-call-pack-'));
  workspace = await prepareWorkspace(NEST, await packTarball(packDir));
}, 300_000);

afterAll(() => {
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

describe('NestJS application context, a service with an injected provider and a Logger field', () => {
  test('a method using only plain fields runs with no option; one reading this.config or this.logger names the field and the fix', async () => {
    const dir = addProject(workspace, 'nest-service', 'nest');
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
