import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addProject, lastJson, ok, packTarball, prepareWorkspace } from '../helpers/consumers.js';
import { isRunning } from '../helpers/processes.js';

/*
 * Deno and Bun, installed from npm as their users may, running a project
 * that installs the packed tarball (test/fixtures/consumer/runtimes): no
 * setting, no flag but Deno's permissions.
 */

let workspace: string;
let packDir: string;

beforeAll(async () => {
  packDir = mkdtempSync(join(tmpdir(), 'isolated-call-pack-'));
  const tarball = await packTarball(packDir);
  workspace = await prepareWorkspace({ name: 'deno-bun', packages: ['deno', 'bun', 'superjson'] }, tarball);
}, 300_000);

afterAll(() => rmSync(packDir, { recursive: true, force: true }));

const runtimes = {
  deno: (dir: string) => ok(join(workspace, 'node_modules/.bin/deno'), ['run', '-A', 'main.ts'], dir),
  bun: (dir: string) => ok(join(workspace, 'node_modules/.bin/bun'), ['main.ts'], dir),
};

describe.each(Object.keys(runtimes) as (keyof typeof runtimes)[])('%s', (name) => {
  test('isolate() and a decorated method run in children that are gone afterwards', async () => {
    const dir = addProject(workspace, `${name}-app`, 'runtimes');
    const out = lastJson((await runtimes[name](dir)).stdout);
    expect(out.doubled.value).toBe(42);
    expect(out.shouted.value).toBe('HI');
    for (const pid of [out.doubled.pid, out.shouted.pid]) {
      expect(pid).not.toBe(out.parent);
      expect(isRunning(pid)).toBe(false);
    }
    if (name === 'bun') {
      // Bun's require.cache lists its ES modules: a real answer either way.
      expect(out.afterCalls).toBe(false);
      expect(out.afterImport).toBe(true);
    } else {
      // Nothing lists Deno's ES modules: a typed refusal, never a wrong false.
      expect(out.afterCalls).toBe('ERR_ISOLATED_UNSUPPORTED_RUNTIME');
      expect(out.afterImport).toBe('ERR_ISOLATED_UNSUPPORTED_RUNTIME');
    }
  }, 60_000);
});
