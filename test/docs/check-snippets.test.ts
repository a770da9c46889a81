import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, without types
import { checkPages } from './check-snippets.mjs';

// The doc check must fail on a broken snippet, or it checks nothing: each page
// here is written to a temporary folder and checked as npm run check:docs would.
const folder = mkdtempSync(join(tmpdir(), 'check-snippets-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const fence = '```';

describe('npm run check:docs', { timeout: 60_000 }, () => {
  it('passes pages whose blocks type-check (standard and legacy decorators), import each other and print what they say', async () => {
    const page = [
      `${fence}ts\n// double.ts\nimport { isolate } from 'isolated-call';\n\nexport const double = isolate(async function double(n: number) {\n  return n * 2;\n});\n${fence}`,
      `${fence}ts\n// main.ts\nimport { double } from './double.js';\n\nconsole.log(await double(21)); // prints: 42\n${fence}`,
      `${fence}ts\nfunction stats(): MethodStats[]\n${fence}`,
      `${fence}ts\n// fragment: not a program\n@Isolated({ timeout: 1 })\n${fence}`,
    ].join('\n\n');
    const legacy = `${fence}ts\n// shapes.ts: legacy decorators\nimport 'reflect-metadata';\nimport { Isolated } from 'isolated-call';\n\nexport class Shapes {\n  @Isolated()\n  async area(side: number): Promise<number> {\n    return side * side;\n  }\n}\n${fence}`;
    writeFileSync(join(folder, 'good.md'), page);
    writeFileSync(join(folder, 'legacy.md'), legacy);
    const { failures, counts } = await checkPages([join(folder, 'good.md'), join(folder, 'legacy.md')]);
    expect(failures).toEqual([]);
    expect(counts).toEqual({ blocks: 5, checked: 4, signatures: 1, run: 1, fragments: 1 });
  });

  // One run for every broken page (one tsc, runs side by side), then what each must have reported.
  describe('fails, naming the page and line', () => {
    const pages = {
      // A syntax error must not hide the type errors of other pages (the tsc command hides them).
      'syntax.md': `${fence}ts\n@Isolated({})\n${fence}\n`,
      'type-error.md': `# t\n\n${fence}ts\nimport { stats } from 'isolated-call';\n\nconst n: string = stats();\n${fence}\n`,
      'signature.md': `${fence}ts\nfunction shutdown(force: boolean): void\n${fence}\n`,
      'links.md': '# Title\n\n[here](#title) [there](#nowhere) [gone](missing.md)\n',
      'output.md': [
        `${fence}ts\nconsole.log('hello'); // prints: goodbye\n${fence}`,
        `${fence}ts\nconsole.log('start'); // prints: start\nthrow new Error('broken');\n${fence}`,
      ].join('\n\n'),
    };
    let failures: string[] = [];
    beforeAll(async () => {
      for (const [name, markdown] of Object.entries(pages)) writeFileSync(join(folder, name), markdown);
      ({ failures } = await checkPages(Object.keys(pages).map((name) => join(folder, name))));
    }, 60_000);
    const of = (page: string) => failures.filter((failure) => failure.includes(`${page}:`));

    it('a syntax error, and a type error on another page', () => {
      expect(of('syntax.md')).toEqual([expect.stringMatching(/syntax\.md:2: error TS1146/)]);
      expect(of('type-error.md')).toEqual([expect.stringMatching(/type-error\.md:6: error TS2322/)]);
    });

    it('a signature the package does not have', () => {
      expect(of('signature.md')[0]).toMatch(/signature\.md:2: the signature doesn't match the package's/);
    });

    it('a relative link to a missing heading or file', () => {
      expect(of('links.md')).toEqual([
        expect.stringContaining('links.md:3: #nowhere: no such heading'),
        expect.stringContaining('links.md:3: missing.md: no such file'),
      ]);
    });

    it('a block that does not print what it says, and one that throws', () => {
      const output = of('output.md').sort();
      expect(output).toHaveLength(2);
      expect(output[0]).toMatch(/output\.md:2: did not print "goodbye"/);
      expect(output[1]).toMatch(/output\.md:6: exited with 1[\s\S]*broken/);
    });
  });
});
