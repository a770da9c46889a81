import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from 'isolated-call';
import { loadFixture } from './helpers/fixtures.js';

// Values JSON can't carry exactly (Dates, Maps...) are V8-serialized; from
// 256 KiB on they go beside the message in a blob file (wire-value.ts).
afterAll(() => shutdown());

let fx: Record<string, any>;
beforeAll(async () => {
  fx = await loadFixture('tc39', 'packed');
});

/** Files left in this parent's blob folder. */
function leftFiles(): string[] {
  if (!existsSync('/dev/shm')) return [];
  return readdirSync('/dev/shm')
    .filter((name) => name.startsWith(`isolated-call-${process.pid}-`))
    .flatMap((dir) => readdirSync(`/dev/shm/${dir}`));
}

describe('large values JSON cannot carry', () => {
  it('come back as results beside the message, intact, and leave no file', async () => {
    const value = await new fx.Packed().make(20_000, 1);
    expect(value).toEqual(fx.records(20_000, 1));
    expect(value[0].at).toBeInstanceOf(Date);
    expect(value[0].prefs).toBeInstanceOf(Map);
    expect(leftFiles()).toEqual([]);
  });

  it('go as arguments beside the message, intact, and leave no file', async () => {
    expect(await new fx.Packed().check(fx.records(20_000, 7), 7)).toEqual({ count: 20_000, same: true });
    expect(leftFiles()).toEqual([]);
  });

  it('small ones still ride inside the message', async () => {
    expect(await new fx.Packed().make(3, 2)).toEqual(fx.records(3, 2));
  });

  it('stream beside the messages, in order', async () => {
    const got: unknown[] = [];
    for await (const batch of new fx.Packed().stream(3, 10_000)) got.push(batch);
    expect(got).toEqual([fx.records(10_000, 0), fx.records(10_000, 10_000), fx.records(10_000, 20_000)]);
    expect(leftFiles()).toEqual([]);
  });
});
