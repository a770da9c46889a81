import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CallAbortedError, CallTimeoutError, ChildExitedError, SerializationError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { fixtureFile, loadFixture } from './helpers/fixtures.js';
import { runNodeJson } from './helpers/scripts.js';
import { readWhenWritten, waitForExit } from './helpers/processes.js';

afterAll(() => shutdown());

const streams = () => loadFixture('tc39', 'streams');
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

describe('a stream dropped unfinished', () => {
  it('is stopped in the child (its finally runs) once the generator object is garbage-collected', async () => {
    const { json } = runNodeJson(['--expose-gc', fixtureFile('scripts/stream-abandoned-gc.mjs')]);
    expect(json.finallyRan).toBe(true);
    expect(await waitForExit(json.pid)).toBe(true);
  });
});
