import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(path, 'utf8');
const namesIn = (text: string) => new Set(text.match(/ISOLATED_CALL_[A-Z_]+/g) ?? []);
/** The code of a file without its comments, which may well name a variable. */
const codeOf = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');

/** The SDK's own source files, tests aside. */
function productFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return productFiles(path);
    return /\.ts$/.test(entry.name) && !/\.test(-helper)?\.ts$/.test(entry.name) ? [path] : [];
  });
}

const variables = namesIn(codeOf(read(join(src, 'shared/environment.ts'))));

describe('the ISOLATED_CALL_* environment variables', () => {
  it('are read and set through shared/environment.ts only', () => {
    expect(variables.size).toBeGreaterThan(0);
    const elsewhere = productFiles(src)
      .filter((file) => !file.endsWith(join('shared', 'environment.ts')))
      .flatMap((file) =>
        [...namesIn(codeOf(read(file)))].filter((name) => variables.has(name)).map((name) => `${relative(src, file)}: ${name}`),
      );
    expect(elsewhere).toEqual([]);
  });

  it('are each listed in docs/api.md', () => {
    const api = read(join(src, '../docs/api.md'));
    const section = api.slice(api.indexOf('## Environment variables'), api.indexOf('\n## ', api.indexOf('## Environment variables') + 1));
    const listed = namesIn(section);
    expect([...variables].filter((name) => !listed.has(name))).toEqual([]);
  });
});
