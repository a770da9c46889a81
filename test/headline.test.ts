import { describe, expect, it } from 'vitest';
import { fixtureFile } from './helpers/fixtures.js';
import { runNodeJson } from './helpers/scripts.js';

const MB = 1024 * 1024;

const runScript = (name: string) => runNodeJson(['--expose-gc', fixtureFile(`scripts/${name}`)], { timeout: 120_000 }).json;

describe('the headline: a heavy dependency stays out of the parent', () => {
  it('keeps typescript out of the parent while a direct import keeps it in memory', () => {
    const isolated = runScript('headline-isolated.mjs');
    const control = runScript('headline-control.mjs');
    const isolatedGrowth = (isolated.after - isolated.before) / MB;
    const controlGrowth = (control.after - control.before) / MB;
    console.log(
      `headline: parent RSS grew ${isolatedGrowth.toFixed(1)} MB over 5 isolated calls (bound < 10 MB); ` +
        `a control importing typescript directly grew ${controlGrowth.toFixed(1)} MB (bound > 40 MB)`,
    );
    expect(isolated.outputs).toEqual([0, 1, 2, 3, 4].map((i) => `let x${i} = ${i};\n`));
    expect(isolated.inRequireCache).toBe(false);
    expect(isolated.loaded).toBe(false);
    expect(control.loaded).toBe(true);
    expect(isolatedGrowth).toBeLessThan(10);
    expect(controlGrowth).toBeGreaterThan(40);
  });
});
