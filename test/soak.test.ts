import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CallTimeoutError, ChildExitedError, shutdown } from 'isolated-call';
import { loadFixture } from './helpers/fixtures.js';
import { childrenOf } from './helpers/processes.js';

afterAll(() => shutdown());

/**
 * Fault injection: hundreds of calls at concurrency 4 while a random child is
 * SIGKILLed every 50 ms, with methods that throw, exit, hang, start
 * grandchildren and move large data beside the message. Every call must
 * settle with its right value or a typed error; afterwards no process and no
 * temp file may be left.
 */
const MODES = ['ok', 'ok', 'ok', 'big', 'grandchild', 'throw', 'exit', 'hang'] as const;
const BIG = 'x'.repeat(600_000); // 1.2 MB as UTF-16: crosses beside the message
const SMALL = 'abc';

describe('soak under faults', () => {
  it('every call settles correctly or typed, and nothing is left behind', { timeout: 120_000 }, async () => {
    const soak = await loadFixture('tc39', 'soak');
    const variants = [
      { cls: soak.FreshSoak, calls: 120 },
      { cls: soak.FreshSoakRetried, calls: 120 },
      { cls: soak.WarmSoak, calls: 300 },
      { cls: soak.WarmSoakRetried, calls: 300 },
    ];
    let kills = 0;
    const killer = setInterval(() => {
      const pids = childrenOf(process.pid);
      const victim = pids[Math.floor(Math.random() * pids.length)];
      if (victim === undefined) return;
      try {
        process.kill(victim, 'SIGKILL');
        kills++;
      } catch {
        // gone already
      }
    }, 50);

    const outcomes: { mode: string; n: number; settled: PromiseSettledResult<unknown> }[] = [];
    try {
      await Promise.all(
        variants.map(async ({ cls, calls }) => {
          const instance = new cls();
          const runs = Array.from({ length: calls }, (_, n) => {
            const mode = MODES[n % MODES.length]!;
            const payload = mode === 'big' ? BIG : SMALL;
            return instance.run(n, mode, payload).then(
              (value: unknown) => outcomes.push({ mode, n, settled: { status: 'fulfilled', value } }),
              (reason: unknown) => outcomes.push({ mode, n, settled: { status: 'rejected', reason } }),
            );
          });
          await Promise.all(runs);
        }),
      );
    } finally {
      clearInterval(killer);
    }

    const total = variants.reduce((sum, v) => sum + v.calls, 0);
    expect(outcomes).toHaveLength(total);
    const wrong: string[] = [];
    for (const { mode, n, settled } of outcomes) {
      if (settled.status === 'fulfilled') {
        const expected =
          mode === 'big' ? BIG + String(n) : mode === 'ok' ? n * 2 + SMALL.length : mode === 'grandchild' ? n * 2 : undefined;
        if (settled.value !== expected) wrong.push(`${mode} ${n}: resolved with ${String(settled.value).slice(0, 40)}`);
        continue;
      }
      const error = settled.reason as Error;
      // A kill can end any call; otherwise each mode has its own one outcome.
      const typed =
        error instanceof ChildExitedError ||
        (mode === 'throw' && error instanceof soak.SoakError && (error as { n?: number }).n === n) ||
        (mode === 'hang' && error instanceof CallTimeoutError) ||
        error instanceof CallTimeoutError;
      if (!typed) wrong.push(`${mode} ${n}: ${error?.name}: ${error?.message}`);
    }
    if (process.env.SOAK_REPORT) console.log(JSON.stringify({ kills, tally: tally(outcomes) }));
    expect(wrong).toEqual([]);
    expect(kills).toBeGreaterThan(10);

    await shutdown();
    await waitFor(() => childrenOf(process.pid).length === 0 && survivingGrandchildren(soak.GRANDCHILD_SECONDS).length === 0);
    expect(childrenOf(process.pid)).toEqual([]);
    expect(survivingGrandchildren(soak.GRANDCHILD_SECONDS)).toEqual([]);
    expect(leftoverTempFiles()).toEqual([]);
  });
});

function tally(outcomes: { mode: string; settled: PromiseSettledResult<unknown> }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { mode, settled } of outcomes) {
    const key = `${mode} ${settled.status === 'fulfilled' ? 'ok' : (settled.reason as Error).name}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** `sleep <marker>` processes still running anywhere on the machine. */
function survivingGrandchildren(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline[0]?.endsWith('sleep') && cmdline[1] === marker) found.push(Number(entry));
    } catch {
      // ended while we looked
    }
  }
  return found;
}

/** Files left in this process's temp folders for large payloads. */
function leftoverTempFiles(): string[] {
  const left: string[] = [];
  for (const base of ['/dev/shm']) {
    for (const dir of readdirSync(base).filter((name) => name.startsWith(`isolated-call-${process.pid}-`))) {
      left.push(...readdirSync(`${base}/${dir}`).map((file) => `${base}/${dir}/${file}`));
    }
  }
  return left;
}

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}
