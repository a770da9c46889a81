import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SerializationError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { fixtureFile, loadFixture } from './helpers/fixtures.js';
import { runNodeJson } from './helpers/scripts.js';

const dir = mkdtempSync(join(tmpdir(), 'ic-errors-edges-'));
afterAll(async () => {
  await shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const edges = async () => new (await loadFixture('tc39', 'thrown-edges')).ThrownEdges();

/** What `promise` settled with: `{ rejected, value }`, so a rejection with `undefined` is told from a resolution. */
async function outcome(promise: Promise<unknown>): Promise<{ rejected: boolean; value: unknown }> {
  try {
    return { rejected: false, value: await promise };
  } catch (error) {
    return { rejected: true, value: error };
  }
}

describe('a thrown undefined is rethrown as undefined, as a local call does', () => {
  it('throw undefined rejects the call with undefined', async () => {
    expect(await outcome((await edges()).throwUndefined())).toEqual({ rejected: true, value: undefined });
  });

  it('Promise.reject() rejects the call with undefined', async () => {
    expect(await outcome((await edges()).rejectUndefined())).toEqual({ rejected: true, value: undefined });
  });

  it('a generator that throws undefined after a value: the stream delivers the value, then throws undefined', async () => {
    const seen: unknown[] = [];
    const ended = await outcome(
      (async () => {
        for await (const value of (await edges()).yieldThenThrowUndefined()) seen.push(value);
      })(),
    );
    expect(seen).toEqual([1]);
    expect(ended).toEqual({ rejected: true, value: undefined });
  });

  it("a callback that throws undefined: the child's stub rejects with undefined", async () => {
    const report = await (await edges()).callAndCatch(async () => {
      throw undefined;
    });
    expect(report).toEqual({ threw: true, thrown: undefined, type: 'undefined' });
  });
});

describe('an Error whose name, message or stack getter throws is a typed error, not a crash', () => {
  it.each(['name', 'message', 'stack'] as const)('%s: SerializationError at that field, the method run once', async (field) => {
    const marker = join(dir, `getter-${field}`);
    writeFileSync(marker, '');
    const error = await caught((await edges()).throwWithThrowingGetter(field, marker));
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.path).toBe(`error.${field}`);
    expect(error.reason).toMatch(new RegExp(`reading it threw Error: the ${field} getter threw \\(a getter\\)`));
    // Not a crash, so not retried: the method's side effect happened once (retries: 2).
    expect(readFileSync(marker, 'utf8')).toBe('run\n');
  });

  it('a class whose name getter throws: the same, at error.name', async () => {
    const marker = join(dir, 'getter-class');
    writeFileSync(marker, '');
    const error = await caught((await edges()).throwWithThrowingNameClass(marker));
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.path).toBe('error.name');
    expect(readFileSync(marker, 'utf8')).toBe('run\n');
  });

  it("a callback in the parent that throws such an error: the stub rejects in the child, the parent doesn't crash", async () => {
    const bad = new Error('x');
    Object.defineProperty(bad, 'message', {
      get() {
        throw new Error('no message for you');
      },
    });
    const report = await (await edges()).callAndCatch(async () => {
      throw bad;
    });
    expect(report.threw).toBe(true);
    expect(report.thrown).toMatchObject({ code: 'ERR_ISOLATED_SERIALIZE', path: 'error.message' });
  });
});

describe('what a thrown error may carry is cut in the child, with a note, not replaced', () => {
  const MiB = 1024 * 1024;

  it('a message of 50 MiB arrives as its first 1 MiB and a note of how much was cut', async () => {
    const error = await caught((await edges()).throwHugeMessage(50));
    expect(error).toBeInstanceOf(Error);
    expect(error.message.startsWith('x'.repeat(MiB))).toBe(true);
    expect(error.message.slice(MiB)).toBe(`… [cut ${(49 * MiB).toLocaleString('en-US')} characters by isolated-call]`);
  });

  it('a stack of 20 MiB is cut the same way', async () => {
    const error = await caught((await edges()).throwHugeStack(20));
    const childPart: string = error.stack.split('<isolated-call: rethrown in the parent')[0];
    expect(childPart.length).toBeLessThan(MiB + 200);
    expect(childPart).toMatch(/… \[cut [\d,]+ characters by isolated-call\]/);
  });

  it('an AggregateError of 100,000 errors arrives with its first errors and a note error in their place', async () => {
    const started = performance.now();
    const error = await caught((await edges()).throwManyErrors(100_000));
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.message).toBe('100000 errors');
    // 1,000 errors in all: the AggregateError, 998 of its errors, and the note.
    expect(error.errors).toHaveLength(999);
    expect(error.errors[0].message).toBe('error 0');
    expect(error.errors[997].message).toBe('error 997');
    expect(error.errors[998].message).toBe('[cut 99,002 more errors by isolated-call: at most 1,000 cross in one thrown value]');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('a cause chain 5,000 long ends after 1,000 errors with a note', async () => {
    const error = await caught((await edges()).throwLongCauseChain(5_000));
    let depth = 1;
    let last = error;
    while (last.cause !== undefined) {
      last = last.cause;
      depth++;
    }
    expect(error.message).toBe('cause 4999');
    expect(depth).toBe(1001);
    expect(last.message).toBe('[cut by isolated-call: at most 1,000 errors cross in one thrown value]');
  });

  it('within the bounds nothing is cut: a message of 1 MiB exactly', async () => {
    const error = await caught((await edges()).throwHugeMessage(1));
    expect(error.message).toBe('x'.repeat(MiB));
  });
});

describe('an ES module that awaits its own isolated call at top level (plain Node parent)', () => {
  it('gets the error its function threw, though the module (where its class is) is still evaluating', () => {
    // The parent looks for the error's class among the module's exports; import() of a module whose
    // top-level await waits on this very call never settles, and the process ended with exit code 13.
    const run = runNodeJson([fixtureFile('parents/self-calling-module.mjs')], { timeout: 20_000 }); // throws unless it exits with 0
    expect(run.json).toMatchObject({ name: 'OwnError', message: 'from the child', instance: false });
    expect(run.json.ms).toBeLessThan(10_000);
  });
});
