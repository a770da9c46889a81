import { describe, expect, it } from 'vitest';
import { fixtureFile } from './helpers/fixtures.js';
import { runNodeJson } from './helpers/scripts.js';

/** Runs node in test/fixtures/scripts, so a script is named by its file name. */
const run = (args: string[]) => runNodeJson(args, { cwd: fixtureFile('scripts') });

describe('every way people run code', () => {
  it('passes loader flags on and drops the ones that would break a child', () => {
    const { json } = run(['--conditions=isolated-test', '--inspect=127.0.0.1:0', 'runtime-info.mjs']);
    const argv: string[] = json.child.execArgv;
    expect(json.child.pid).not.toBe(json.parentPid);
    expect(argv).toContain('--conditions=isolated-test');
    expect(argv.some((f) => f.startsWith('--inspect'))).toBe(false);
    expect(argv).toContain('--stack-size=2000'); // the execArgv option adds flags
    expect(json.child.envVar).toBe('from-option'); // the env option adds variables
  });

  it("shows the child's console output in the parent's stdout and stderr", () => {
    const { stdout, stderr } = run(['runtime-info.mjs']);
    expect(stdout).toContain('out:hello');
    expect(stderr).toContain('err:hello');
  });

  it('runs TypeScript sources under tsx, the child loading them too', () => {
    const { json } = run(['--import', 'tsx', 'tsx-main.ts']);
    expect(json.sum).toBe(42);
    expect(json.childPid).not.toBe(json.parentPid);
  });

  it('warns when the module the child imports is the main script', () => {
    const { json, stderr } = run(['main-module.mjs']);
    expect(json.result).toBe(42);
    expect(stderr).toContain('ISOLATED_CALL_MAIN_MODULE');
    expect(stderr).toContain('isIsolatedChild()');
  });
});

describe('isModuleLoaded', () => {
  it('sees ESM-only packages through the inspector and CommonJS ones in require.cache', () => {
    const { json } = run(['module-loaded.mjs']);
    expect(json.before).toEqual({ superjson: false, reflect: false });
    expect(json.after).toEqual({ superjson: true, reflect: true, neverLoaded: false, builtin: true });
  });
});
