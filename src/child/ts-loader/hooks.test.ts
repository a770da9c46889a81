import { describe, expect, it } from 'vitest';
import { typeScriptCandidates } from './hooks.js';

describe('typeScriptCandidates', () => {
  it.each([
    ['./util.js', ['./util.ts', './util.tsx']],
    ['../lib/util.mjs', ['../lib/util.mts']],
    ['./util.cjs', ['./util.cts']],
    ['./view.jsx', ['./view.tsx']],
    ['./util', ['./util.ts', './util.tsx', './util.js', './util/index.ts', './util/index.tsx', './util/index.js']],
    ['./dir/', ['./dir.ts', './dir.tsx', './dir.js', './dir/index.ts', './dir/index.tsx', './dir/index.js']],
    ['./util.js?v=1', ['./util.ts?v=1', './util.tsx?v=1']],
    ['./util.ts', []],
  ])('%s → %j', (specifier, expected) => {
    expect(typeScriptCandidates(specifier)).toEqual(expected);
  });
});
