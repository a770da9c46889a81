import diagnosticsChannel from 'node:diagnostics_channel';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { CallAbortedError, CallTimeoutError, ChildExitedError, SerializationError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { fixtureFile, loadFixture } from './helpers/fixtures.js';
import { runNodeJson } from './helpers/scripts.js';
import { isRunning, readWhenWritten, waitForExit } from './helpers/processes.js';

afterAll(async () => {
  await shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const streams = () => loadFixture('tc39', 'streams');
const stalls = () => loadFixture('tc39', 'stream-stalls');
const dir = mkdtempSync(join(tmpdir(), 'ic-streams-end-'));
let n = 0;
const tempFile = () => join(dir, `log-${n++}.txt`);

/** Reads `stream` until it throws; returns the values before, and what it threw. */
async function readUntilThrow<T>(stream: AsyncGenerator<T>, onValue?: (value: T) => void): Promise<{ values: T[]; error: any }> {
  const values: T[] = [];
  const error = await caught(
    (async () => {
      for await (const value of stream) {
        values.push(value);
        onValue?.(value);
      }
    })(),
  );
  return { values, error };
}

describe('how a stream ends', () => {
  it('break ends the child’s generator (its finally runs) and the fresh child exits', async () => {
    const { Streams } = await streams();
    const file = tempFile();
    const seen: number[] = [];
    for await (const value of new Streams().endless(file, 10)) {
      seen.push(value);
      if (value === 4) break;
    }
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    // The break resolves once the child's generator has ended: its finally ran already.
    const log = readFileSync(file, 'utf8');
    expect(log).toMatch(/finally\n$/);
    const pid = Number(/^pid (\d+)/.exec(log)![1]);
    expect(await waitForExit(pid)).toBe(true);
  });

  it('a throw mid-stream: every value before it, then the error, typed, then done', async () => {
    const { Streams, RowError } = await streams();
    const stream = new Streams().failAfter(5);
    const { values, error } = await readUntilThrow(stream);
    expect(values).toEqual([0, 1, 2, 3, 4]);
    expect(error).toBeInstanceOf(RowError);
    expect(error.message).toBe('row 5 is bad');
    expect(error.row).toBe(5);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('a value that can’t cross fails the stream with SerializationError naming it, after the values before', async () => {
    const { Streams } = await streams();
    const { values, error } = await readUntilThrow(new Streams().unsendable());
    expect(values).toEqual([1]);
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.path).toBe('yield[1]');
  });

  it('the timeout covers the whole stream: next() rejects with CallTimeoutError and the child is killed', async () => {
    const { Streams } = await streams();
    const { values, error } = await readUntilThrow(new Streams().slowTicks(50));
    expect(values.length).toBeGreaterThan(2);
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error.pid).toBeGreaterThan(0);
    expect(await waitForExit(error.pid)).toBe(true);
  });

  it('an AbortSignal in the arguments ends the stream with CallAbortedError; the child’s signal fires', async () => {
    const { Streams } = await streams();
    const file = tempFile();
    const controller = new AbortController();
    const { values, error } = await readUntilThrow(new Streams().ticksUntilAborted(controller.signal, file), (value) => {
      if (value === 3) controller.abort('enough');
    });
    expect(values).toEqual([0, 1, 2, 3]);
    expect(error).toBeInstanceOf(CallAbortedError);
    expect(await readWhenWritten(file)).toBe('aborted');
    expect(await waitForExit(error.pid)).toBe(true);
  });

  it('an abort drops the values already received: next() rejects at once, not after them', async () => {
    const { Streams } = await streams();
    const controller = new AbortController();
    const { values, error } = await readUntilThrow(new Streams().ticksUntilAborted(controller.signal, tempFile()), (value) => {
      // Blocks this process while the child sends on: the next values arrive together, and wait in the stream.
      if (value === 2) for (const until = Date.now() + 200; Date.now() < until; );
      if (value === 3) controller.abort('enough');
    });
    expect(values).toEqual([0, 1, 2, 3]);
    expect(error).toBeInstanceOf(CallAbortedError);
  });

  it.each(['exit', 'kill'] as const)(
    'a child that dies mid-stream (%s) gives ChildExitedError at next(), after the values',
    async (how) => {
      const { Streams } = await streams();
      const { values, error } = await readUntilThrow(new Streams().crashAfter(3, how));
      expect(values).toEqual([0, 1, 2]);
      expect(error).toBeInstanceOf(ChildExitedError);
      if (how === 'exit') expect(error.exitCode).toBe(3);
      else expect(error.signal).toBe('SIGKILL');
    },
  );

  it('return() while the stream waits for the consumer resolves, and a second stream runs afterwards', async () => {
    const { Streams } = await streams();
    const file = tempFile();
    const stream = new Streams().endless(file, 0);
    expect(await stream.next()).toEqual({ done: false, value: 0 });
    expect(await stream.return(undefined)).toEqual({ done: true, value: undefined });
    expect(readFileSync(file, 'utf8')).toMatch(/finally\n$/);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });
});

/** How long `settling` takes to settle, or 'still pending' after `ms`. */
async function settleTime(settling: Promise<unknown>, ms = 4000): Promise<number | 'still pending'> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<'still pending'>((resolve) => (timer = setTimeout(() => resolve('still pending'), ms)));
  try {
    return await Promise.race([settling.then(() => performance.now() - started), pending]);
  } finally {
    clearTimeout(timer);
  }
}

describe('stopping a generator that the child ran ahead into an await that never settles', () => {
  // grace is 300 ms in the fixture: the generator can't reach a yield, so the child is killed then.
  it('return() resolves within grace, and the child is gone', async () => {
    const { Stalls } = await stalls();
    const stream = new Stalls().stuckAfterFirst();
    const { value: pid } = await stream.next();
    await sleep(100); // the child pulls ahead into the await
    const ms = await settleTime(stream.return(undefined));
    expect(ms).not.toBe('still pending');
    expect(ms).toBeLessThan(300 + 700);
    expect(await waitForExit(pid, 1000)).toBe(true);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('break out of for await settles within grace too, and the child is gone', async () => {
    const { Stalls } = await stalls();
    let pid = 0;
    const ms = await settleTime(
      (async () => {
        for await (const value of new Stalls().stuckAfterFirst()) {
          pid = value;
          await sleep(100);
          break;
        }
      })(),
    );
    expect(ms).not.toBe('still pending');
    expect(ms).toBeLessThan(100 + 300 + 700);
    expect(await waitForExit(pid, 1000)).toBe(true);
  });

  it('a kept-alive child stuck in the await is killed, not reused: the next call gets a fresh child', async () => {
    const { Stalls } = await stalls();
    const exits: { pid: number; reason: string }[] = [];
    const onExit = (event: unknown) => exits.push(event as { pid: number; reason: string });
    diagnosticsChannel.subscribe('isolated-call:child:exit', onExit);
    const stream = new Stalls().stuckWarm(true);
    const { value: pid } = await stream.next();
    await sleep(100);
    expect(await settleTime(stream.return(undefined))).not.toBe('still pending');
    expect(await waitForExit(pid, 1000)).toBe(true);
    for (let i = 0; i < 50 && !exits.some((e) => e.pid === pid); i++) await sleep(20);
    diagnosticsChannel.unsubscribe('isolated-call:child:exit', onExit);
    expect(exits.find((e) => e.pid === pid)?.reason).toBe('stream-return');
    const next = new Stalls().stuckWarm(false);
    const { value: nextPid } = await next.next();
    expect(nextPid).not.toBe(pid);
    expect(await next.next()).toEqual({ done: true, value: undefined });
    // A stream that ended normally leaves its child warm in the pool.
    expect(isRunning(nextPid)).toBe(true);
  });
});

describe('a stream dropped unfinished', () => {
  it('is stopped in the child (its finally runs) once the generator object is garbage-collected', async () => {
    const { json } = runNodeJson(['--expose-gc', fixtureFile('scripts/stream-abandoned-gc.mjs')]);
    expect(json.finallyRan).toBe(true);
    expect(await waitForExit(json.pid)).toBe(true);
  });

  it('is killed after grace once garbage-collected, when its child is stuck in an await', () => {
    const { json } = runNodeJson(['--expose-gc', fixtureFile('scripts/stream-abandoned-stuck-gc.mjs')]);
    expect(json.pid).toBeGreaterThan(0);
    expect(json.gone).toBe(true);
  });
});
