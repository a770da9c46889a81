/**
 * How the scheduler settles a call that doesn't simply return, over fake
 * children: retries, timeouts, aborts, a child that dies or breaks the
 * protocol, shutdown. The same behaviours with real children are in
 * test/retries, timeout, abort and shutdown.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { CallAbortedError } from '../errors/call-aborted-error.js';
import { CallTimeoutError } from '../errors/call-timeout-error.js';
import { ChildExitedError, ChildOutOfMemoryError } from '../errors/child-exited-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { SerializationError } from '../errors/serialization-error.js';
import { ShutdownError } from '../errors/shutdown-error.js';
import type { CallInfo } from '../options/types.js';
import { errorMessage, resultMessage } from '../protocol/build-messages.js';
import { encodeThrown } from '../protocol/encode-thrown.js';
import { type FakeCall, flush, hang, OOM_STDERR } from './fake-child.test-helper.js';
import { shutdown } from './lifecycle.js';
import { callJob, deferred, fakePool, track } from './pool-under-test.test-helper.js';

afterEach(async () => {
  vi.useRealTimers();
  await shutdown({ force: true });
});

const fakeTimers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });

/** A method whose child dies on the first `times` attempts, then returns 'ok'. */
function crashing(times: number, crash: (call: FakeCall) => void = ({ child }) => child.crash(1)) {
  let attempts = 0;
  return (call: FakeCall) => {
    if (++attempts > times) return 'ok';
    crash(call);
    return hang();
  };
}

describe('retries', () => {
  test('a call whose child died runs again on a fresh child, within retries', async () => {
    const reports: CallInfo[] = [];
    const { call, children } = fakePool({ retries: 2, keepAlive: Infinity, onCallEnd: (info) => reports.push(info) }, crashing(2));
    expect(await call()).toBe('ok');
    expect(children.started).toHaveLength(3);
    expect(reports).toMatchObject([{ ok: true, attempts: 3, pid: children.started[2]!.pid }]);
  });

  test('once retries are spent, the call fails with the last ChildExitedError', async () => {
    const { call, children, pool } = fakePool(
      { retries: 1 },
      crashing(2, ({ child }) => child.crash(7)),
    );
    await expect(call()).rejects.toMatchObject({ name: 'ChildExitedError', exitCode: 7 });
    expect(children.started).toHaveLength(2);
    expect(pool.stats()).toMatchObject({ calls: 1, failures: 1, running: 0, alive: 0 });
  });

  test('running out of memory is not retried: it would happen again', async () => {
    const { call, children } = fakePool(
      { retries: 3 },
      crashing(1, ({ child }) => child.crash(null, 'SIGABRT', OOM_STDERR)),
    );
    await expect(call()).rejects.toBeInstanceOf(ChildOutOfMemoryError);
    expect(children.started).toHaveLength(1);
  });

  test('a SerializationError (the child could not decode the arguments) is not retried', async () => {
    const { call, children } = fakePool({ retries: 3 }, ({ message, child, stats }) => {
      const reason = 'a Decimal is not registered in the child';
      child.send(errorMessage({ id: message.id, stats, phase: 'decode', path: 'args[0]', reason, error: encodeThrown(new Error(reason)) }));
      return hang();
    });
    const failure = call(1);
    await expect(failure).rejects.toBeInstanceOf(SerializationError);
    await expect(failure).rejects.toMatchObject({ path: 'args[0]' });
    expect(children.started).toHaveLength(1);
  });

  test("the method's own error is not retried, and arrives as it was thrown", async () => {
    const { call, children } = fakePool({ retries: 3 }, () => {
      throw new RangeError('no such page');
    });
    await expect(call()).rejects.toMatchObject({ name: 'RangeError', message: 'no such page' });
    expect(children.started).toHaveLength(1);
  });

  test('a child that died on a code cache before `ready` gets one attempt more that retries do not count', async () => {
    const { call, children } = fakePool(
      { retries: 0 },
      crashing(1, ({ child }) => {
        child.diedOnCodeCache = true;
        child.crash(null, 'SIGSEGV');
      }),
    );
    expect(await call()).toBe('ok');
    expect(children.started).toHaveLength(2);
  });
});

describe('a child that ends or misbehaves mid-call', () => {
  test('its exit settles the call with ChildExitedError, and its place is free again', async () => {
    const { call, children, pool } = fakePool({}, ({ child }) => {
      child.crash(3, null, 'Error: boom\n');
      return hang();
    });
    await expect(call()).rejects.toMatchObject({ name: 'ChildExitedError', exitCode: 3, stderr: 'Error: boom\n' });
    expect(children.started[0]!.endReason).toBe('crash');
    expect(pool.stats()).toMatchObject({ running: 0, alive: 0, failures: 1 });
  });

  test('a reply the gate refuses fails the call with a ProtocolError and ends the child; no retry', async () => {
    const { call, children } = fakePool({ retries: 2, keepAlive: Infinity }, ({ message, child }) => {
      child.send(resultMessage(message.id, { v: 1, t: false }, { loadMs: 0, runMs: -1, peakRss: 0 }));
      return hang();
    });
    await expect(call()).rejects.toBeInstanceOf(ProtocolError);
    await flush();
    expect(children.started).toHaveLength(1);
    expect(children.started[0]).toMatchObject({ endReason: 'protocol-error', exit: { signal: 'SIGKILL' } });
  });
});

describe('timeouts', () => {
  test('timeout: the call rejects with CallTimeoutError and its child is killed', async () => {
    fakeTimers();
    const { call, children } = fakePool({ timeout: 1000, retries: 2 }, () => hang());
    const timedOut = track(call());
    await vi.advanceTimersByTimeAsync(999);
    expect(timedOut.state).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(timedOut.value).toBeInstanceOf(CallTimeoutError);
    expect(timedOut.value).toMatchObject({ timeout: 1000, pid: children.started[0]!.pid });
    await flush();
    expect(children.started).toHaveLength(1);
    expect(children.started[0]).toMatchObject({ endReason: 'timeout', exit: { signal: 'SIGKILL' } });
  });

  test('attemptTimeout counts from when the attempt got its child, and a timed-out attempt is not retried', async () => {
    fakeTimers();
    const { call, children } = fakePool({ concurrency: 1, attemptTimeout: 500, retries: 2 }, ({ args }) =>
      args[0] === 'quick' ? new Promise((resolve) => setTimeout(() => resolve('quick'), 400)) : hang(),
    );
    const quick = track(call('quick'));
    const slow = track(call('slow')); // waits 400 ms for the child the first call holds
    await vi.advanceTimersByTimeAsync(400);
    await flush();
    expect(quick).toMatchObject({ state: 'fulfilled', value: 'quick' });
    await vi.advanceTimersByTimeAsync(499);
    expect(slow.state).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(slow.value).toBeInstanceOf(CallTimeoutError);
    expect((slow.value as Error).message).toMatch(/attemptTimeout of 500 ms and was not retried/);
    await flush();
    expect(children.started).toHaveLength(2);
  });
});

describe('abort', () => {
  test('aborted while it waits in the queue: it rejects at once and never reaches a child', async () => {
    const gate = deferred();
    const { call, children } = fakePool({ concurrency: 1 }, ({ args }) => (args[0] === 'first' ? gate.promise : 'second'));
    const first = call('first');
    const controller = new AbortController();
    const aborted = call('second', controller.signal);
    await flush();
    controller.abort(new Error('changed my mind'));
    await expect(aborted).rejects.toBeInstanceOf(CallAbortedError);
    await expect(aborted).rejects.toMatchObject({ pid: undefined, cause: { message: 'changed my mind' } });
    gate.resolve('first');
    await expect(first).resolves.toBe('first');
    await flush();
    expect(children.started).toHaveLength(1);
    expect(children.started[0]!.received.filter((message) => message.type === 'call')).toHaveLength(1);
  });

  test("aborted while it runs: it rejects at once, the child's signal aborts, and the child is killed after grace", async () => {
    fakeTimers();
    let childSignal: AbortSignal | undefined;
    const { call, children } = fakePool({ grace: 200 }, ({ signal }) => {
      childSignal = signal;
      return hang(); // ignores its signal
    });
    const controller = new AbortController();
    const aborted = call(controller.signal);
    await flush();
    controller.abort('stop');
    await expect(aborted).rejects.toBeInstanceOf(CallAbortedError);
    await flush();
    expect(childSignal?.aborted).toBe(true);
    const [child] = children.started;
    expect(child!.exit).toBeUndefined(); // its grace period
    await vi.advanceTimersByTimeAsync(200);
    await flush();
    expect(child).toMatchObject({ endReason: 'abort', exit: { signal: 'SIGKILL' } });
  });
});

describe('shutdown', () => {
  test('force: every call settles, running ones with ChildExitedError, queued ones with ShutdownError', async () => {
    const { call, children, pool } = fakePool({ concurrency: 2 }, () => hang());
    const calls = [1, 2, 3, 4].map((n) => track(call(n)));
    await flush();
    await shutdown({ force: true });
    await flush();
    expect(calls.map(({ value }) => (value as Error).constructor)).toEqual([
      ChildExitedError,
      ChildExitedError,
      ShutdownError,
      ShutdownError,
    ]);
    expect(children.live).toHaveLength(0);
    expect(children.started.map((child) => child.endReason)).toEqual(['shutdown', 'shutdown']);
    await expect(pool.run(callJob(pool.label, [5]))).rejects.toBeInstanceOf(ShutdownError); // a closed pool takes no call
  });

  test('without force: running calls finish, queued ones are refused, idle children are retired', async () => {
    const gate = deferred();
    const busy = fakePool({ concurrency: 1 }, () => gate.promise);
    const idle = fakePool({ keepAlive: Infinity });
    await idle.call('warm');
    const running = busy.call(1);
    const queued = busy.call(2);
    await flush();
    const done = shutdown();
    await expect(queued).rejects.toBeInstanceOf(ShutdownError);
    gate.resolve('finished');
    await expect(running).resolves.toBe('finished');
    await done;
    expect(idle.children.started[0]!.endReason).toBe('shutdown');
    expect([...busy.children.live, ...idle.children.live]).toHaveLength(0);
  });
});
