import { afterAll, describe, expect, it } from 'vitest';
import { IsolatedCallError, ModuleLoadError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { flavors, loadFixture } from './helpers/fixtures.js';
import { waitForExit } from './helpers/processes.js';

afterAll(() => shutdown());

const fixture = () => loadFixture('tc39', 'module-load');

describe('a class the module does not export', () => {
  // As in an app's bundle, which exports nothing (docs/bundling.md).
  // The ESM builds only: this fixture's CommonJS build can't load (it reads import.meta).
  it.each(flavors.filter((f) => f !== 'cjs'))('%s: is found all the same, from what its decorator left in the child', async (flavor) => {
    const { makeUnexported } = await loadFixture(flavor, 'module-load');
    await expect(makeUnexported().ping()).resolves.toBe('pong');
  });
});

describe('the child cannot load the method', () => {
  it('a class defined in another module than the one named gives ModuleLoadError saying to export or register it', async () => {
    const { ElsewhereModule } = await fixture();
    const error = await caught(new ElsewhereModule().ping());
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect(error).toBeInstanceOf(IsolatedCallError);
    expect(error.code).toBe('ERR_ISOLATED_MODULE_LOAD');
    expect(error.message).toContain('export it from the module');
    expect(error.message).toContain('registerClass(ElsewhereModule)');
    expect(error.cause).toBeInstanceOf(Error);
    expect(await waitForExit(error.pid)).toBe(true);
  });

  it('a module option pointing at a missing file gives ModuleLoadError with the import failure as cause', async () => {
    const { WrongModule } = await fixture();
    const error = await caught(new WrongModule().ping());
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect(error.code).toBe('ERR_ISOLATED_MODULE_LOAD');
    expect(error.module).toBe('file:///nonexistent/isolated-call/module.js');
    expect(error.message).toContain('/nonexistent/isolated-call/module.js');
    expect(error.cause).toBeInstanceOf(Error);
    expect(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']).toContain(error.cause.code); // import() or require()
    expect(error.message).toContain('Check that the module option');
  });

  it('a module option pointing at a module without the class names the class', async () => {
    const { ElsewhereModule } = await fixture();
    const error = await caught(new ElsewhereModule().ping());
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect(error.module).toMatch(/\/failures\.js$/);
    expect(error.message).toContain('class "ElsewhereModule" was not found');
  });

  it('a class without the method names the method', async () => {
    const { MissingMethod } = await fixture();
    const error = await caught(new MissingMethod().ping());
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect(error.message).toContain('class "Failures" has no instance method "ping"');
  });

  it('a module that throws while the child imports it gives ModuleLoadError with that error as cause', async () => {
    const { BrokenImport } = await loadFixture('tc39', 'broken-import');
    const error = await caught(new BrokenImport().ping());
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect(error.message).toContain('a dependency failed to initialise');
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.cause.message).toBe('a dependency failed to initialise');
  });
});
