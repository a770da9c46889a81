import { afterAll, describe, expect, it } from 'vitest';
import { isIsolatedChild, shutdown } from 'isolated-call';
import { flavors, loadFixture } from './helpers/fixtures.js';
import { waitForExit } from './helpers/processes.js';

afterAll(() => shutdown());

describe.each(flavors)('core (%s build)', (flavor) => {
  it('runs an instance method in a child with this state and returns its value', async () => {
    const { Calculator } = await loadFixture(flavor, 'calculator');
    const calc = new Calculator(40);
    expect(await calc.add(2)).toBe(42);
    expect(calc.history).toEqual([]); // mutations in the child are not written back
  });

  it('runs in another process, which is gone after the call', async () => {
    const { Calculator } = await loadFixture(flavor, 'calculator');
    const where = await new Calculator().whereAmI();
    expect(where.pid).not.toBe(process.pid);
    expect(where.ppid).toBe(process.pid);
    expect(where.inChild).toBe(true);
    expect(isIsolatedChild()).toBe(false);
    expect(await waitForExit(where.pid, 1500)).toBe(true);
  });

  it('runs static methods and returns instances of the decorated class', async () => {
    const { Calculator } = await loadFixture(flavor, 'calculator');
    expect(await Calculator.twice(21)).toBe(42);
    const calc = new Calculator(3);
    calc.history = [1, 2];
    const copy = await calc.clone();
    expect(copy).toBeInstanceOf(Calculator);
    expect(copy.base).toBe(6);
    expect(copy.history).toEqual([1, 2, -1]);
  });

  it('runs decorated methods inline inside the child (no chain of forks)', async () => {
    const { Calculator } = await loadFixture(flavor, 'calculator');
    expect(await new Calculator(1).nested(1)).toBe(2);
  });
});
