import { describe, expect, it } from 'vitest';
import { dropTsxFlags, isTypeScriptLoaderFlag } from './typescript-loader.js';

describe('dropTsxFlags', () => {
  it.each([
    [['--import', 'tsx', '--enable-source-maps'], ['--enable-source-maps']],
    [
      ['--import=tsx', '-r', 'dotenv/config'],
      ['-r', 'dotenv/config'],
    ],
    [['--require', 'tsx/cjs'], []],
    // What the tsx CLI puts in a process's execArgv.
    [['--require', '/app/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///app/node_modules/tsx/dist/loader.mjs'], []],
    // A path that only passes through a folder named tsx is not tsx.
    [
      ['--require', '/work/tsx-app/node_modules/vitest/setup.cjs'],
      ['--require', '/work/tsx-app/node_modules/vitest/setup.cjs'],
    ],
    [
      ['--loader', 'ts-node/esm'],
      ['--loader', 'ts-node/esm'],
    ],
  ])('%j → %j', (flags, expected) => {
    expect(dropTsxFlags(flags)).toEqual(expected);
  });
});

describe('isTypeScriptLoaderFlag', () => {
  it.each([
    ['tsx', true],
    ['--import=tsx', true],
    ['/app/node_modules/ts-node/register/index.js', true],
    ['--experimental-strip-types', true],
    ['/work/tsx-app/node_modules/vitest/setup.cjs', false],
    ['dotenv/config', false],
  ])('%s → %s', (flag, expected) => {
    expect(isTypeScriptLoaderFlag(flag)).toBe(expected);
  });
});
