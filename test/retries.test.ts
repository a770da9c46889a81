import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CallTimeoutError, ChildExitedError, configure, type CallInfo } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';
import { shutdownAndReset } from './helpers/sdk-state.js';

const markers = mkdtempSync(join(tmpdir(), 'isolated-call-retries-'));
let infos: CallInfo[] = [];

afterEach(shutdownAndReset);
afterAll(() => rmSync(markers, { recursive: true, force: true }));

function track(): void {
  infos = [];
  configure({ onCallEnd: (info) => infos.push(info) });
}

describe('retries', () => {
  it('retries a call whose child crashed, on a fresh child', async () => {
    const { Retried } = await loadFixture('tc39', 'lifecycle');
    track();
    const marker = join(markers, 'crash-once');
    const pid = await new Retried().crashOnce(marker);
    const firstPid = Number(readFileSync(marker, 'utf8'));
    expect(pid).not.toBe(firstPid);
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({ target: 'Retried.crashOnce', ok: true, attempts: 2, pid });
  });

  it('retries on a fresh child, not on another warm child of the method', async () => {
    const { WarmRetried } = await loadFixture('tc39', 'lifecycle');
    const method = new WarmRetried();
    const used = join(markers, 'used');
    writeFileSync(used, '');
    // Two calls at once leave two warm children.
    const warm = await Promise.all([method.crashOnce(used, 300), method.crashOnce(used, 300)]);
    expect(new Set(warm).size).toBe(2);
    const marker = join(markers, 'warm-crash-once');
    const pid = await method.crashOnce(marker);
    const crashed = Number(readFileSync(marker, 'utf8'));
    expect(warm).toContain(crashed); // the first attempt ran on a warm child...
    expect(warm).not.toContain(pid); // ...the retry on a new one
  });

  it('never retries an error thrown by the method', async () => {
    const { Retried } = await loadFixture('tc39', 'lifecycle');
    track();
    const marker = join(markers, 'throw-once');
    // A second attempt would succeed: the call rejecting proves there was none.
    await expect(new Retried().throwOnce(marker)).rejects.toThrow('thrown by the method');
    expect(infos[0]).toMatchObject({ ok: false, attempts: 1 });
  });

  it('gives up after `retries` more attempts with the last ChildExitedError', async () => {
    const { Retried } = await loadFixture('tc39', 'lifecycle');
    track();
    const error = await caught(new Retried().crashAlways());
    expect(error).toBeInstanceOf(ChildExitedError);
    expect((error as ChildExitedError).exitCode).toBe(4);
    expect(infos[0]).toMatchObject({ ok: false, attempts: 2 });
  });

  it('counts the timeout across all attempts', async () => {
    const { Retried } = await loadFixture('tc39', 'lifecycle');
    track();
    // Each attempt crashes after 300 ms, well within the 3 s timeout on its own;
    // 21 attempts together can't fit, so the call ends with a timeout, not a crash.
    const error = await caught(new Retried().crashSlowly(300));
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect((error as CallTimeoutError).code).toBe('ERR_ISOLATED_TIMEOUT');
    expect(infos[0]!.attempts).toBeGreaterThanOrEqual(2);
    expect(infos[0]!.attempts).toBeLessThan(21);
  });
});
