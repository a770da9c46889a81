import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addProject, codeBlocks, lastJson, ok, packTarball, prepareWorkspace } from '../helpers/consumers.js';

/*
 * An app bundled with webpack (test/fixtures/consumer/webpack) by the
 * webpack.config.js of docs/bundling.md, as written: isolated-call bundled
 * in, typescript external.
 */

let dir: string;
let packDir: string;

beforeAll(async () => {
  packDir = mkdtempSync(join(tmpdir(), 'isolated-call-pack-'));
  const tarball = await packTarball(packDir);
  const workspace = await prepareWorkspace(
    { name: 'webpack', packages: ['webpack', 'webpack-cli', 'ts-loader', 'typescript@5', '@types/node@20'] },
    tarball,
  );
  dir = addProject(workspace, 'webpack-app', 'webpack');
  const [config] = codeBlocks('docs/bundling.md', 'webpack').filter((block) => block.lang === 'js');
  writeFileSync(join(dir, 'webpack.config.js'), config!.code);
  for (const mode of ['production', 'development'])
    await ok(join(workspace, 'node_modules/.bin/webpack'), ['--mode', mode, '--output-filename', `app-${mode}.cjs`], dir, {
      timeout: 180_000,
    });
}, 400_000);

afterAll(() => rmSync(packDir, { recursive: true, force: true }));

describe.each(['production', 'development'])('webpack, %s mode', (mode) => {
  test('the bundle starts, and its isolated call runs in a child', async () => {
    const out = lastJson((await ok(process.execPath, [`dist/app-${mode}.cjs`], dir)).stdout);
    expect(out.out).toBe('var x = 1;\n');
    expect(out.pid).not.toBe(out.parent);
    // A minified bundle doesn't say what it holds: a typed "can't tell", never a wrong false.
    expect(out.typescriptLoaded).toBe(mode === 'production' ? 'ERR_ISOLATED_BUNDLED_MODULE' : false);
  }, 60_000);

  test('deployed alone, with only the external dependency installed beside it', async () => {
    // webpack wrote the SDK's path on the build machine into the bundle: here it doesn't exist.
    const deploy = mkdtempSync(join(tmpdir(), 'webpack-deploy-'));
    try {
      cpSync(join(dir, `dist/app-${mode}.cjs`), join(deploy, 'app.cjs'));
      mkdirSync(join(deploy, 'node_modules'));
      symlinkSync(join(dir, '../node_modules/typescript'), join(deploy, 'node_modules/typescript'), 'dir');
      const out = lastJson((await ok(process.execPath, ['app.cjs'], deploy)).stdout);
      expect(out.out).toBe('var x = 1;\n');
      expect(out.pid).not.toBe(out.parent);
    } finally {
      rmSync(deploy, { recursive: true, force: true });
    }
  }, 60_000);
});
