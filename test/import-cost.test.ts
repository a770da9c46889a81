import { execFileSync } from 'node:child_process';
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
