import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MB = 1024 * 1024;

function runScript(name: string): Record<string, any> {
  const script = fileURLToPath(new URL(`./fixtures/scripts/${name}`, import.meta.url));
  const out = execFileSync(process.execPath, ['--expose-gc', script], { encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

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
