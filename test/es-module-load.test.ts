import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from 'isolated-call';
import { fixtureFile } from './helpers/fixtures.js';

// The child loads an ES module with require() where Node can (child/load-target.ts),
// and with import() where require() would differ: top-level await, loader hooks.
afterAll(() => shutdown());

const load = (name: string) => import(fixtureFile(`scripts/es-modules/${name}`));

describe('an ES module in the child', () => {
  it('is evaluated once', async () => {
    const { evaluationsPlain } = await load('plain.mjs');
    expect(await evaluationsPlain()).toBe(1);
  });

  it('with top-level await is imported, and evaluated once', async () => {
    const { evaluationsTla } = await load('tla.mjs');
    expect(await evaluationsTla()).toBe(1);
  });

  it('gets the loader hooks a --require registered in the child', async () => {
    const { virtualAnswer } = await load('virtual.mjs');
    expect(await virtualAnswer()).toBe(42);
  });
});
