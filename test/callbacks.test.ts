import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallTimeoutError, SerializationError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture, type Flavor } from './helpers/fixtures.js';
import { waitForExit } from './helpers/processes.js';

let fx: Record<string, any>;
const dir = mkdtempSync(join(tmpdir(), 'callbacks-'));
beforeAll(async () => {
  fx = await loadFixture('tc39', 'callbacks');
});
afterAll(async () => {
  await shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('a function argument is a callable stub in the child', () => {
  it('10,000 awaited calls arrive in order, each answered', async () => {
    const seen: number[] = [];
    // (Its speed is measured by the bench: npm run bench -- callbacks.)
    const out = await new fx.Callbacks().count(10_000, (i: number) => seen.push(i) && i, true);
    expect(out).toEqual({ n: 10_000, answers: 10_000 });
    expect(seen).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
  });

  it('10,000 fire-and-forget calls all run, in order, before the call resolves; an async callback is not overlapped', async () => {
    const seen: number[] = [];
    let running = 0;
    let overlapped = false;
    const onTick = async (i: number) => {
      if (running++ > 0) overlapped = true;
      if (i % 1000 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      seen.push(i);
      running--;
    };
    const out = await new fx.Callbacks().count(10_000, onTick, false);
    expect(out.n).toBe(10_000);
    expect(seen).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(overlapped).toBe(false);
  });

  it('nested in an argument ({ onProgress }), the same function twice is one stub', async () => {
    const reports: unknown[] = [];
    const onProgress = (pct: number, note: string) => {
      reports.push([pct, note]);
    };
    expect(await new fx.Callbacks().nested({ name: 'job-1', onProgress, again: onProgress })).toBe(true);
    expect(reports).toEqual([
      [0, 'job-1'],
      [50, 'job-1'],
      [100, 'job-1'],
    ]);
  });

  it('in a Map value or a Set item, a function is a stub too', async () => {
    const map = new Map([['double', (n: number) => n * 2]]);
    const set = new Set([
      1,
      function triple(n: number) {
        return n * 3;
      },
    ]);
    expect(await new fx.Callbacks().inCollections(map, set)).toEqual([4, 15]);
  });

  it('what the callback returns (or resolves to) is what the stub resolves to', async () => {
    const prices: Record<string, number> = { apple: 2, pear: 3 };
    expect(
      await new fx.Callbacks().ask(
        async (item: string) => prices[item],
        () => 10,
      ),
    ).toBe(50);
  });

  it('a callback that throws a registered error class: the child catches that class', async () => {
    const fail = async (step: number) => {
      throw new fx.QuotaError(`over quota at step ${step}`, 7);
    };
    expect(await new fx.Callbacks().catchTyped(fail)).toEqual({
      caught: true,
      isQuotaError: true,
      name: 'QuotaError',
      message: 'over quota at step 3',
      remaining: 7,
    });
  });

  it('a callback that throws an error class exported (not registered) from the module: the child finds the class', async () => {
    const fail = async () => {
      throw new fx.LimitError('over the limit');
    };
    expect(await new fx.Callbacks().catchExported(fail)).toEqual({ isLimitError: true, limit: 3 });
  });

  it("an uncaught callback error rejects the call with the parent's error, typed", async () => {
    const error = await caught(
      new fx.Callbacks().rethrow(() => {
        throw new fx.QuotaError('no more', 0);
      }),
    );
    expect(error).toBeInstanceOf(fx.QuotaError);
    expect(error.message).toBe('no more');
  });

  it('large arguments and results of a callback go beside the message, intact', async () => {
    let got: [number, number, number] | undefined;
    const out = await new fx.Callbacks().large((text: string, bytes: Buffer) => {
      got = [text.length, bytes.length, bytes[0]!];
      return Buffer.alloc(4 * 1024 * 1024, 9);
    });
    expect(got).toEqual([3 * 1024 * 1024, 2 * 1024 * 1024, 7]);
    expect(out).toEqual({ length: 4 * 1024 * 1024, first: 9, last: 9 });
  });

  it("a function in a callback's arguments can't cross back: the stub rejects with SerializationError in the child", async () => {
    let called = false;
    const out = await new fx.Callbacks().sendFunction(() => {
      called = true;
    });
    expect(out).toEqual({ rejected: true, code: 'ERR_ISOLATED_SERIALIZE', path: 'args[0](…)[0]' });
    expect(called).toBe(false);
  });
});

describe('every build and decorator dialect', () => {
  it.each<Flavor>(['legacy', 'cjs'])('%s: a nested callback runs in order and answers', async (flavor) => {
    const { Callbacks } = await loadFixture(flavor, 'callbacks');
    const reports: number[] = [];
    const onProgress = async (pct: number) => {
      reports.push(pct);
    };
    expect(await new Callbacks().nested({ name: flavor, onProgress, again: onProgress })).toBe(true);
    expect(reports).toEqual([0, 50, 100]);
  });
});

describe('a stub outlives its call only to fail', () => {
  it('called after the call settled, it rejects in the child with CallbackExpiredError naming the path', async () => {
    const calls = new fx.Callbacks();
    let ran = 0;
    const pid = await calls.late('keep', () => ran++);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the child's timer calls the kept stub
    const report = await calls.late('report');
    expect(report).toMatchObject({ pid, isExpired: true, code: 'ERR_ISOLATED_CALLBACK_EXPIRED', path: 'args[1]' });
    expect(report.message).toMatch(/The callback args\[1\] of Callbacks\.late was called after that isolated call had settled/);
    // A later call of the same warm child calling the old stub gets the same.
    expect(await calls.late('call')).toMatchObject({ pid, code: 'ERR_ISOLATED_CALLBACK_EXPIRED', path: 'args[1]' });
    expect(ran).toBe(0);
  });
});

describe('callbacks and the rest of a call', () => {
  it('retries re-run callbacks: the crashed attempt called back, and so does the retry', async () => {
    const attempts: number[] = [];
    const marker = join(dir, 'crashed-once');
    expect(await new fx.Callbacks().crashOnce(marker, (attempt: number) => attempts.push(attempt))).toBe('second attempt');
    expect(existsSync(marker)).toBe(true);
    expect(attempts).toEqual([1, 2]);
  });

  it('the timeout covers a callback that never answers', async () => {
    const error = await caught(new fx.Callbacks().waitForever(() => new Promise(() => {})));
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(await waitForExit(error.pid)).toBe(true);
  });

  it('functions in `this` stay in the parent, and a class is not a callback', async () => {
    const error = await caught(new fx.Callbacks().nested({ name: 'x', onProgress: class Foo {}, again: 1 }));
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.path).toBe('args[0].onProgress');
    expect(error.reason).toMatch(/it is a class \(Foo\); a class can't be called without new/);
  });
});
