import { afterEach, describe, expect, it } from 'vitest';
import { CallTimeoutError, configure, InvalidOptionError, Isolated, isolate, type CallInfo } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';
import { isRunning, waitForExit } from './helpers/processes.js';
import { shutdownAndReset } from './helpers/sdk-state.js';

afterEach(shutdownAndReset);

function expectInvalid(action: () => unknown, option: string): void {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidOptionError);
  expect((thrown as InvalidOptionError).option).toBe(option);
  expect((thrown as InvalidOptionError).code).toBe('ERR_ISOLATED_INVALID_OPTION');
  expect((thrown as Error).message).toContain(`"${option}"`);
}

describe('onCallEnd', () => {
  it('receives target, pid, ok, timings, peak RSS and attempts of every call', async () => {
    const { Fresh, Warm } = await loadFixture('tc39', 'lifecycle');
    const infos: CallInfo[] = [];
    configure({ onCallEnd: (info) => infos.push(info) });
    const visit = await new Fresh().visit(50);
    await expect(new Fresh().fail('boom')).rejects.toThrow('boom');
    const warm = new Warm();
    await warm.visit();
    await warm.visit();

    const [ok, failed, cold, reused] = infos;
    expect(ok).toMatchObject({ target: 'Fresh.visit', pid: visit.pid, ok: true, attempts: 1 });
    expect(ok!.error).toBeUndefined();
    expect(ok!.startupMs).toBeGreaterThan(0); // a fresh child had to start
    expect(ok!.runMs).toBeGreaterThanOrEqual(45);
    expect(ok!.loadMs).toBeGreaterThan(0);
    expect(ok!.totalMs).toBeGreaterThanOrEqual(ok!.runMs);
    expect(ok!.queueMs).toBeGreaterThanOrEqual(0);
    expect(ok!.peakRss).toBeGreaterThan(0);

    expect(failed).toMatchObject({ target: 'Fresh.fail', ok: false, attempts: 1 });
    expect((failed!.error as Error).message).toBe('boom');
    expect(failed!.peakRss).toBeGreaterThan(0);

    expect(cold!.pid).toBe(reused!.pid);
    expect(reused!.startupMs).toBe(0); // a warm child was ready
    expect(reused!.peakRss).toBeGreaterThan(0);
  });

  it("doesn't break the call when the hook throws", async () => {
    const { Fresh } = await loadFixture('tc39', 'lifecycle');
    configure({
      onCallEnd: () => {
        throw new Error('hook failed');
      },
    });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      expect((await new Fresh().visit(0, 'fine')).tag).toBe('fine');
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.some((m) => m.includes('onCallEnd') && m.includes('hook failed'))).toBe(true);
  });
});

describe('configure() defaults and decorator options', () => {
  it('applies env and execArgv to every method; a decorator option wins', async () => {
    const { Configured, ConfiguredOwn } = await loadFixture('tc39', 'lifecycle');
    configure({ env: { LIFECYCLE_FIXTURE: 'global' }, execArgv: ['--max-semi-space-size=2'] });
    const plain = await new Configured().environment();
    expect(plain.value).toBe('global');
    expect(plain.execArgv).toContain('--max-semi-space-size=2');
    const own = await new ConfiguredOwn().environment();
    expect(own.value).toBe('own');
    expect(own.execArgv).toContain('--max-semi-space-size=4');
    expect(own.execArgv).not.toContain('--max-semi-space-size=2');
  });

  it('applies timeout to every method; a decorator option wins', async () => {
    const { Configured, ConfiguredOwn } = await loadFixture('tc39', 'lifecycle');
    configure({ timeout: 1000 });
    const error = await caught(new Configured().sleep(5000));
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect((error as CallTimeoutError).timeout).toBe(1000);
    expect(await new ConfiguredOwn().sleep(1500)).toBe(1500); // its own timeout is 20 s
  });

  it('reaches methods that already ran, and replaces the previous defaults', async () => {
    const { Configured } = await loadFixture('tc39', 'lifecycle');
    expect((await new Configured().environment()).value).toBeUndefined();
    configure({ env: { LIFECYCLE_FIXTURE: 'first' } });
    expect((await new Configured().environment()).value).toBe('first');
    configure({});
    expect((await new Configured().environment()).value).toBeUndefined();
  });

  it('retires idle warm children started with other child options', async () => {
    const { Warm } = await loadFixture('tc39', 'lifecycle');
    const before = await new Warm().visit();
    configure({ onCallEnd: () => {} }); // not a child option: the warm child stays
    expect((await new Warm().visit()).pid).toBe(before.pid);
    configure({ env: { LIFECYCLE_FIXTURE: 'changed' } }); // taken up at the method's next call
    const after = await new Warm().visit();
    expect(after.pid).not.toBe(before.pid);
    expect(await waitForExit(before.pid, 3000)).toBe(true);
    expect(isRunning(after.pid)).toBe(true);
  });
});

describe('invalid options', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['keepAlive', { keepAlive: -1 }],
    ['standby', { standby: 'yes' }],
    ['concurrency', { concurrency: 0 }],
    ['concurrency', { concurrency: 1.5 }],
    ['maxCallsPerChild', { maxCallsPerChild: 0 }],
    ['maxChildRss', { maxChildRss: 0 }],
    ['retries', { retries: -1 }],
    ['timeout', { timeout: Number.NaN }],
    ['grace', { grace: -5 }],
    ['execArgv', { execArgv: '--inspect' }],
    ['env', { env: { A: 1 } }],
    ['onCallEnd', { onCallEnd: 'log' }],
    ['keepalive', { keepalive: 1000 }],
    ['attemptTimeout', { attemptTimeout: -1 }],
    ['attemptTimeout', { timeout: 1000, attemptTimeout: 5000 }],
    ['maxQueue', { maxQueue: 1.5 }],
    ['maxOldSpaceSize', { maxOldSpaceSize: 100.5 }],
    ['inspect', { inspect: 9230, concurrency: 2 }],
  ];

  it.each(cases)('%s: throws at decoration time', (option, options) => {
    expectInvalid(() => Isolated(options as never), option);
    expectInvalid(() => isolate(async function f() {}, options as never), option);
  });

  it.each(cases)('%s: throws in configure() and keeps the previous defaults', async (option, options) => {
    const { Configured } = await loadFixture('tc39', 'lifecycle');
    configure({ env: { LIFECYCLE_FIXTURE: 'kept' } });
    expectInvalid(() => configure(options as never), option);
    if (option === 'keepAlive') expect((await new Configured().environment()).value).toBe('kept');
  });

  it('maxChildren: throws in configure()', () => {
    expectInvalid(() => configure({ maxChildren: 0 }), 'maxChildren');
    expectInvalid(() => configure({ maxChildren: Number.NaN }), 'maxChildren');
    expectInvalid(() => configure({ maxChildren: 2.5 }), 'maxChildren');
  });

  it('maxChildren: only configure() takes it', () => {
    expectInvalid(() => Isolated({ maxChildren: 2 } as never), 'maxChildren');
    expectInvalid(() => isolate(async function f() {}, { maxChildren: 2 } as never), 'maxChildren');
  });
});
