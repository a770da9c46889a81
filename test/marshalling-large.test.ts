import { existsSync, readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureRss, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';

afterAll(() => shutdown());

/**
 * The bound on what a 100 MB call may leave behind in the parent's RSS, after
 * garbage collection: far below the payload, so a copy kept alive anywhere (in
 * the codec, the channel, a pending-call map) fails it.
 */
const RSS_BOUND = 40 * 1024 * 1024;
const SIZE_MB = 100;

let fx: Record<string, any>;
let gc: () => void;
beforeAll(async () => {
  fx = await loadFixture('tc39', 'bulk');
  setFlagsFromString('--expose-gc');
  gc = runInNewContext('gc') as () => void;
});

/**
 * RSS once garbage is gone. Several collections with pauses: ArrayBuffer
 * memory is released by V8 after the collection that finds it dead, so one
 * gc() right before reading (what measureRss(fn) does) still counts it.
 */
async function settledRss(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return measureRss().rss;
}

const mb = (bytes: number) => `${(bytes / fx.MB).toFixed(1)} MB`;

function payload(as: 'buffer' | 'strings', seed: number): Buffer | string[] {
  return as === 'buffer' ? fx.pattern(SIZE_MB * fx.MB, seed) : Array.from({ length: SIZE_MB }, (_, i) => fx.text(fx.MB, seed + i));
}

describe('100 MB payloads', () => {
  afterAll(() => {
    // Large payloads travel as tmpfs files: every one is deleted after its call.
    // The folder itself stays while the parent lives (it is never removed and
    // made again under a name another user could take in between).
    const folders = existsSync('/dev/shm')
      ? readdirSync('/dev/shm').filter((name) => name.startsWith(`isolated-call-${process.pid}-`))
      : [];
    expect(folders.length).toBeLessThanOrEqual(1);
    for (const dir of folders) expect(readdirSync(`/dev/shm/${dir}`)).toEqual([]);
  });

  it.each(['buffer', 'strings'] as const)('as arguments (%s): arrive intact; parent RSS back within 40 MB of where it was', async (as) => {
    const expected = fx.sha256(payload(as, 7));
    const before = await settledRss();
    // In a function of its own, so no stack slot keeps the 100 MB alive.
    const send = () => new fx.Bulk().digest(payload(as, 7));
    expect(await send()).toEqual({ kind: as === 'buffer' ? 'Buffer' : 'strings', size: SIZE_MB * fx.MB, sha256: expected });
    const grew = (await settledRss()) - before;
    expect(grew, `parent RSS grew by ${mb(grew)}`).toBeLessThan(RSS_BOUND);
  });

  it.each(['buffer', 'strings'] as const)('as results (%s): arrive intact; memory the parent holds is back within 40 MB', async (as) => {
    const expected = fx.sha256(payload(as, 11));
    const receive = async () => {
      const data = await new fx.Bulk().make(SIZE_MB, 11, as);
      return { isBuffer: Buffer.isBuffer(data), sha256: fx.sha256(data) };
    };
    await settledRss();
    const before = jsHeld();
    expect(await receive()).toEqual({ isBuffer: as === 'buffer', sha256: expected });
    await settledRss();
    const grew = jsHeld() - before;
    expect(grew, `the parent's JS heap and buffers grew by ${mb(grew)}`).toBeLessThan(RSS_BOUND);
  });

  // Large binary data and strings travel beside the IPC message (a tmpfs
  // file), so the parent doesn't keep Node's IPC read buffers either.
  it.each(['buffer', 'strings'] as const)('as results (%s): parent RSS back within 40 MB of where it was', async (as) => {
    const receive = async () => fx.sha256(await new fx.Bulk().make(SIZE_MB, 13, as));
    const before = await settledRss();
    expect(await receive()).toBe(fx.sha256(payload(as, 13)));
    const grew = (await settledRss()) - before;
    expect(grew, `parent RSS grew by ${mb(grew)}`).toBeLessThan(RSS_BOUND);
  });
});

/** Bytes held by JavaScript: V8 heap plus Buffers and other external memory. */
function jsHeld(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

describe('files of large payloads', () => {
  it('are deleted when the value fails to encode after a large part was written', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 1);
    const error = await caught(new fx.Bulk().digest([big, Symbol('not sendable')]));
    expect((error as { code?: string }).code).toBe('ERR_ISOLATED_SERIALIZE');
    const left = existsSync('/dev/shm') ? readdirSync('/dev/shm').filter((name) => name.startsWith(`isolated-call-${process.pid}-`)) : [];
    for (const dir of left) expect(readdirSync(`/dev/shm/${dir}`)).toEqual([]);
  });
});
