import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerializationError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';

// Issue #10 items 6a and 7: big sparse inputs cost what they hold, and values
// structured clone would choke on are typed failures before any child starts.

const dir = mkdtempSync(join(tmpdir(), 'marshal-limits-'));
const forkLog = join(dir, 'forks.log');
process.env.LIMITS_FORK_LOG = forkLog;
const forks = () => readFileSync(forkLog, 'utf8').split('\n').filter(Boolean);

let fx: Record<string, any>;
beforeAll(async () => {
  writeFileSync(forkLog, '');
  fx = await loadFixture('tc39', 'limits');
});
afterAll(async () => {
  await shutdown();
  rmSync(dir, { recursive: true, force: true });
});

function nested(levels: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let at = root;
  for (let i = 0; i < levels; i++) at = (at.a = {}) as Record<string, unknown>;
  return root;
}

describe('arguments structured clone would choke on fail typed, before any child starts', () => {
  const cases: Record<string, { arg: () => unknown; path: RegExp; reason: RegExp }> = {
    Proxy: { arg: () => ({ items: [new Proxy({ a: 1 }, {})] }), path: /^args\[0\]\.items\[0\]$/, reason: /Proxy/ },
    'throwing getter': {
      arg: () => ({
        get secret(): never {
          throw new Error('no access');
        },
      }),
      path: /^args\[0\]\.secret$/,
      reason: /reading it threw Error: no access/,
    },
    '3,000 levels': { arg: () => nested(3_000), path: /^args\[0\]\.a\.a.*more levels.*\.a$/, reason: /nested more than 1500 levels/ },
    '10,000 levels': { arg: () => nested(10_000), path: /^args\[0\]\.a\.a.*more levels.*\.a$/, reason: /nested more than 1500 levels/ },
    'Uint8Array over a SharedArrayBuffer': {
      arg: () => ({ bytes: new Uint8Array(new SharedArrayBuffer(8)) }),
      path: /^args\[0\]\.bytes$/,
      reason: /Uint8Array over a SharedArrayBuffer.*Uint8Array\.from/,
    },
  };

  it.each(Object.entries(cases))('%s', async (_name, { arg, path, reason }) => {
    const error = await caught(fx.inspect(arg()));
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.path).toMatch(path);
    expect(error.reason).toMatch(reason);
    expect(forks()).toEqual([]);
  });

  it("keeps the getter's own error as the cause", async () => {
    const own = new RangeError('mine');
    const error = await caught(
      fx.inspect({
        get x(): never {
          throw own;
        },
      }),
    );
    expect(error.cause).toBe(own);
  });

  it('nesting structured clone still rebuilds crosses both ways', async () => {
    const value = nested(1_200);
    expect(await fx.inspect(value)).toEqual({ keys: 1 });
  });
});

describe("results the child can't send fail typed, with the path", () => {
  it.each([
    ['proxy', /^result\.list\[0\]$/, /Proxy/],
    ['getter', /^result\.broken$/, /getter failed in the child/],
    ['deep', /^result\.a\.a.*more levels/, /nested more than 1500 levels/],
    ['shared', /^result\.view$/, /Int32Array over a SharedArrayBuffer/],
  ])('%s', async (what, path, reason) => {
    const error = await caught(fx.unsendableResult(what));
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.path).toMatch(path);
    expect(error.reason).toMatch(reason);
  });
});

describe('sparse arrays cost what they hold, not their length', () => {
  it.each([1e8, 2 ** 32 - 1])('length %i as an argument', async (length) => {
    const array: unknown[] = [];
    array[length - 1] = 'last';
    array[3] = { three: 3 };
    const started = performance.now();
    expect(await fx.inspect(array)).toEqual({ length, present: ['3', String(length - 1)] });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it.each([1e8, 2 ** 32 - 1])('length %i as a result', async (length) => {
    const started = performance.now();
    const out = await fx.sparse(length, { 0: 'first', [length - 1]: new URL('https://example.com/') });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(out.length).toBe(length);
    expect(Object.keys(out)).toEqual(['0', String(length - 1)]);
    expect(out[length - 1]).toBeInstanceOf(URL);
  });
});
