import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Importing the SDK must cost the app almost nothing: its memory is what this
// library is about. An ESM import of node:fs makes Node build a facade of its
// hundred exports, whose getters load the whole streams stack.
const root = fileURLToPath(new URL('..', import.meta.url));

describe("the SDK's import", () => {
  it.each(['dist/index.js', 'dist/index.cjs'])('%s loads no stream module of Node', (entry) => {
    const script = `
      const before = new Set(process.moduleLoadList);
      await import('./${entry}');
      console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m) && /stream/.test(m))));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  });
});

describe('the SDK under tsx', () => {
  // tsx rewrites, with a word-precise source map, every ES module whose text
  // holds `import(`: for these entries that held about 35 MB in the parent.
  // The SDK's import() lives in dist/esm-import.js instead.
  it.each(['dist/index.js', 'dist/bullmq.js', 'dist/next.js'])('%s holds no import( for tsx to rewrite', (entry) => {
    expect(readFileSync(`${root}${entry}`, 'utf8')).not.toContain('import(');
  });

  it('imports the SDK through the import() of its own file', () => {
    const script = `const { isolate } = await import('./dist/index.js'); console.log(typeof isolate);`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('function');
  });
});
