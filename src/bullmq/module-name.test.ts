import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { moduleName, resolveModuleName } from './module-name.js';

const root = '/srv/app';

describe('module names across machines', () => {
  test('the caller names its module relative to the root, with / separators', () => {
    expect(moduleName(pathToFileURL('/srv/app/dist/pdf/render.js').href, root, 'Pdf.render')).toBe('dist/pdf/render.js');
    expect(() => moduleName(pathToFileURL('/srv/other/x.js').href, root, 'X.run')).toThrow(/outside the app's root/);
  });

  test.each([
    ['../etc/passwd.js', /goes up/],
    ['dist/../../etc/x.js', /goes up/],
    ['/etc/passwd', /absolute/],
    ['file:///etc/passwd', /absolute/],
    ['data:text/javascript,1', /absolute/],
    ['dist\\x.js', /backslash/],
    ['', /empty/],
    ['a\0b.js', /NUL/],
  ])('the worker refuses %j', (name, why) => {
    const result = resolveModuleName(name, root);
    expect(typeof result).toBe('object');
    expect((result as { refused: string }).refused).toMatch(why);
  });

  test('the worker resolves a name under its own root', () => {
    expect(resolveModuleName('dist/pdf/render.js', '/opt/w1')).toBe(pathToFileURL(join('/opt/w1', 'dist/pdf/render.js')).href);
  });
});
