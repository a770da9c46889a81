import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from 'isolated-call';
import { flavors, loadFixture } from './helpers/fixtures.js';

// A child resolves `isolated-call` to the SDK's child build (dist/child.cjs,
// dist/child-api.mjs) through the `isolated-call-child` export condition:
// the module it runs, already loaded, without the parent's machinery.
afterAll(() => shutdown());

const root = fileURLToPath(new URL('..', import.meta.url));

describe('the child build', () => {
  it('exports every name the full build exports, in both formats', () => {
    const script = `
      const full = Object.keys(await import('isolated-call')).sort();
      const esm = Object.keys(await import('./dist/child-api.mjs')).sort();
      const cjs = Object.keys((await import('node:module')).createRequire(process.cwd() + '/')('./dist/child.cjs')).sort();
      console.log(JSON.stringify({ full, esm, cjs }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    const { full, esm, cjs } = JSON.parse(out) as Record<string, string[]>;
    expect(full.length).toBeGreaterThan(20);
    expect(esm).toEqual(full);
    expect(cjs.filter((name) => name !== 'default')).toEqual(full);
  });

  for (const flavor of flavors) {
    it(`is what a ${flavor} module imports in the child; the child's own subprocesses get the full build`, async () => {
      const fx = await loadFixture(flavor, 'child-build');
      const seen = await fx.whichBuild();
      expect(seen.main).toMatch(/[\\/]dist[\\/]child\.cjs$/);
      expect(seen.sameApi).toBe(true);
      expect(seen.fullBuildLoaded).toBe(false);
      expect(seen.execArgv).not.toContain('--conditions=isolated-call-child');
      expect(seen.grandchild).toMatch(/[\\/]dist[\\/]index\.cjs$/);
      expect(seen.stats).toEqual([]);
    });
  }

  it('runs a nested isolated method inline in the same child', async () => {
    const fx = await loadFixture('tc39', 'child-build');
    const { pid, inner } = await new fx.Nested().outer();
    expect(inner).toBe(pid);
    expect(pid).not.toBe(process.pid);
  });
});
