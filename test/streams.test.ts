import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from 'isolated-call';
import { flavors, loadFixture } from './helpers/fixtures.js';
import { isRunning, waitForExit } from './helpers/processes.js';

afterAll(async () => {
  await shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const streams = () => loadFixture('tc39', 'streams');
const dir = mkdtempSync(join(tmpdir(), 'ic-streams-'));
let n = 0;
const tempFile = () => join(dir, `progress-${n++}.txt`);

describe('async generator methods', () => {
  it('stream 100,000 small values in order, then the return value', async () => {
    const { Streams } = await streams();
    const stream = new Streams().rows(100_000);
    expect(Object.prototype.toString.call(stream)).toBe('[object AsyncGenerator]');
    let expected = 0;
    let step: IteratorResult<{ i: number; name: string }, string>;
    while (!(step = await stream.next()).done) {
      if (step.value.i !== expected || step.value.name !== `row ${expected}`) {
        throw new Error(`value ${expected} came as ${JSON.stringify(step.value)}`);
      }
      expected++;
    }
    expect(expected).toBe(100_000);
    expect(step.value).toBe('done after 100000');
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('streams 100 values of 5 MB beside the message, the parent never holding many of them', async () => {
    const { Streams } = await streams();
    const before = process.memoryUsage().rss;
    let peak = before;
    let count = 0;
    for await (const chunk of new Streams().chunks(100, 5) as AsyncGenerator<Uint8Array>) {
      expect(chunk.byteLength).toBe(5 * 1024 * 1024);
      expect(chunk[0]).toBe(count % 256);
      expect(chunk[chunk.length - 1]).toBe(count % 256);
      count++;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(count).toBe(100);
    // 500 MB went through. The child stays within streamAheadBytes (16 MiB) of the consumer,
    // so the parent holds a few values at a time (about 50 MB measured), garbage included.
    expect(peak - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('never runs more than streamAhead values ahead of the consumer', async () => {
    const { Streams } = await streams();
    const file = tempFile();
    const stream = new Streams().counted(100, file);
    expect((await stream.next()).value).toBe(0);
    await sleep(300); // time enough to run far ahead, if it could
    // 4 ahead at the start; credit for at most the one value taken may have come back.
    expect(Number(readFileSync(file, 'utf8'))).toBeLessThanOrEqual(5);
    const rest: number[] = [];
    for await (const value of stream) rest.push(value);
    expect(rest).toEqual(Array.from({ length: 99 }, (_, i) => i + 1));
  });

  it('never runs more than streamAheadBytes ahead of the consumer', async () => {
    const { Streams } = await streams();
    const file = tempFile();
    const stream = new Streams().bigCounted(100, file);
    expect((await stream.next()).value.byteLength).toBe(5 * 1024 * 1024);
    await sleep(500);
    // 16 MiB allow 4 values of 5 MiB to be untaken (the 4th crosses the bound); credit for the one taken may have come back.
    expect(Number(readFileSync(file, 'utf8'))).toBeLessThanOrEqual(5);
    await stream.return(undefined);
  });

  it('keeps its batches under a small maxMessageBytes', async () => {
    const { Streams } = await streams();
    let count = 0;
    for await (const row of new Streams().rowsInSmallMessages(5000)) expect(row.i).toBe(count++);
    expect(count).toBe(5000);
  });

  it('a generator never read starts no child', async () => {
    const { Streams } = await streams();
    const file = tempFile();
    const stream = new Streams().endless(file, 0);
    expect(await stream.return(undefined)).toEqual({ done: true, value: undefined });
    await sleep(200);
    expect(() => readFileSync(file)).toThrow();
  });

  it('a keepAlive child goes back to the pool after a stream, also one ended by break', async () => {
    const { Streams } = await streams();
    const streams_ = new Streams();
    const seen: number[] = [];
    for await (const { n: value, pid } of streams_.warmCount(10)) {
      seen.push(value);
      if (value === 0) seen.push(pid);
    }
    const pid = seen[1]!;
    expect(seen.slice(2)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for await (const value of streams_.warmCount(1_000_000)) {
      expect(value.pid).toBe(pid); // the same warm child
      if (value.n === 3) break;
    }
    const again: number[] = [];
    for await (const value of streams_.warmCount(2)) again.push(value.pid);
    expect(again).toEqual([pid, pid]);
    expect(isRunning(pid)).toBe(true); // idle in the pool, until keepAlive ends it
    expect(await streams_.warmPid()).not.toBe(pid); // another method has a pool of its own
  });

  it('isolate() of an async generator function streams too, with its return value', async () => {
    const { countTo } = await streams();
    const stream = countTo(5) as AsyncGenerator<number, number>;
    const values: number[] = [];
    let step: IteratorResult<number, number>;
    while (!(step = await stream.next()).done) values.push(step.value);
    expect(values).toEqual([1, 2, 3, 4, 5]);
    expect(step.value).toBe(5);
  });
});

describe('a generator that runs synchronous work after each yield', () => {
  it('delivers each value as it is yielded, not after the work that follows it', async () => {
    const { Stalls } = await loadFixture('tc39', 'stream-stalls');
    // 3 values, 1.5 s of busy work after each: until fixed, none arrived before the generator ended.
    const lateness: number[] = [];
    for await (const { i, yieldedAt } of new Stalls().cpuBound(3, 1500)) {
      lateness[i] = Date.now() - yieldedAt;
    }
    expect(lateness).toHaveLength(3);
    // The promise is 100 ms; the bound leaves room for a loaded machine, and stays well under the 1.5 s of work.
    for (const ms of lateness) expect(ms).toBeLessThan(600);
  });
});

describe.each(flavors)('async generator methods (%s build)', (flavor) => {
  it('instance, static and isolate() streams; break ends the child', async () => {
    const { Streams, countTo } = await loadFixture(flavor, 'streams');
    const rows: number[] = [];
    for await (const row of new Streams().rows(1000)) {
      rows.push(row.i);
      if (row.i === 9) break;
    }
    expect(rows).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const counted: number[] = [];
    for await (const value of countTo(3)) counted.push(value);
    expect(counted).toEqual([1, 2, 3]);
    const letters: string[] = [];
    for await (const letter of Streams.letters('abc')) letters.push(letter);
    expect(letters).toEqual(['a', 'b', 'c']);
    const file = tempFile();
    for await (const value of new Streams().endless(file, 5)) if (value === 2) break;
    const log = readFileSync(file, 'utf8');
    expect(log).toMatch(/finally\n$/);
    expect(await waitForExit(Number(/^pid (\d+)/.exec(log)![1]))).toBe(true);
  });
});
