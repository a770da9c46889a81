/**
 * The scheduler (method-pool.ts and what it drives) over fake children
 * (fake-child.test-helper.ts): which child runs each call, how many at once,
 * which stay; how a call that doesn't simply return settles (retries,
 * timeouts, aborts, a child that dies or breaks the protocol, shutdown);
 * callbacks and streams through the parent's gate. One file: each test file
 * costs a worker that imports the whole parent again. The same behaviours
 * with real children are in test/concurrency, keep-alive, queue-limits,
 * recycling, standby, retries, timeout, abort, shutdown, callbacks, streams.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { CallAbortedError } from '../../errors/call-aborted-error.js';
import { CallTimeoutError } from '../../errors/call-timeout-error.js';
import { ChildExitedError, ChildOutOfMemoryError } from '../../errors/child-exited-error.js';
import { ProtocolError } from '../../errors/protocol-error.js';
import { QueueFullError } from '../../errors/queue-full-error.js';
import { SerializationError } from '../../errors/serialization-error.js';
import { ShutdownError } from '../../errors/shutdown-error.js';
import { kDefaultProcessOptions } from '../../options/table.js';
import type { CallInfo } from '../../options/types.js';
import { callbackMessage, errorMessage, resultMessage } from '../../protocol/build-messages.js';
import { encodeThrown } from '../../protocol/encode-thrown.js';
import { streamItemsMessage } from '../../protocol/stream-messages.js';
import { configure } from '../../options/configure.js';
import { type FakeCall, flush, hang, OOM_STDERR } from './fake-child.test-helper.js';
import { shutdown } from './pool-api.js';
import { callJob, deferred, fakePool, track } from './pool-under-test.test-helper.js';
import { StreamSink } from '../calls/stream-sink.js';

const MB = 1024 * 1024;

afterEach(async () => {
  vi.useRealTimers();
  await shutdown({ force: true });
  configure({ maxChildren: kDefaultProcessOptions.maxChildren });
});

const fakeTimers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });

describe('concurrency', () => {
  test('runs at most `concurrency` calls at once, the others in call order as places free up', async () => {
    const running: { arg: unknown; done: (value: unknown) => void }[] = [];
    const { call, children, pool } = fakePool({ concurrency: 2 }, ({ args }) => {
      const gate = deferred();
      running.push({ arg: args[0], done: gate.resolve });
      return gate.promise;
    });
    const calls = [1, 2, 3, 4].map((n) => call(n));
    await flush();
    expect(running.map(({ arg }) => arg)).toEqual([1, 2]);
    expect(pool.stats()).toMatchObject({ queued: 2, running: 2 });
    running[1]!.done('two');
    await flush();
    expect(running.map(({ arg }) => arg)).toEqual([1, 2, 3]);
    for (const { done, arg } of running.slice(0)) done(arg);
    await flush();
    running[3]!.done(4);
    expect(await Promise.all(calls)).toEqual([1, 'two', 3, 4]);
    expect(children.started).toHaveLength(4); // keepAlive 0: a child per call
    expect(Math.max(...children.started.map((child) => child.calls))).toBe(1);
    expect(pool.stats()).toMatchObject({ calls: 4, failures: 0, queued: 0, running: 0 });
  });

  test('keepAlive 0: the call tells its child to leave after replying, and it does', async () => {
    const { call, children } = fakePool({ keepAlive: 0 });
    expect(await call('x')).toBe('x');
    await flush();
    const [child] = children.started;
    expect(child!.received[0]).toMatchObject({ type: 'call', exitAfter: true });
    expect(child!.exit).toMatchObject({ exitCode: 0 });
    expect(child!.endReason).toBe('after-call');
  });

  test('keepAlive 0: a child still there `grace` ms after its call is killed', async () => {
    fakeTimers();
    const { call, children } = fakePool({ keepAlive: 0, grace: 300 }, ({ child }) => {
      child.lingers = true;
      return 'done';
    });
    expect(await call()).toBe('done');
    await vi.advanceTimersByTimeAsync(299);
    await flush();
    const [child] = children.started;
    expect(child!.exit).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(child).toMatchObject({ endReason: 'after-call', exit: { signal: 'SIGKILL' } });
  });
});

describe('maxQueue', () => {
  test('a call that would wait beyond maxQueue is refused at once with QueueFullError; the others run', async () => {
    const gate = deferred();
    const { call, pool } = fakePool({ concurrency: 1, maxQueue: 1 }, () => gate.promise);
    const first = call(1);
    const second = track(call(2));
    const third = call(3);
    await expect(third).rejects.toBeInstanceOf(QueueFullError);
    await expect(third).rejects.toMatchObject({ maxQueue: 1, code: 'ERR_ISOLATED_QUEUE_FULL' });
    expect(second.state).toBe('pending');
    expect(pool.stats()).toMatchObject({ queued: 1, running: 1, failures: 1 });
    gate.resolve('done');
    await expect(first).resolves.toBe('done');
    await flush();
    expect(second).toMatchObject({ state: 'fulfilled', value: 'done' });
  });

  test('maxQueue 0: a call that gets a child at once is never refused', async () => {
    const { call } = fakePool({ concurrency: 1, maxQueue: 0 }, () => hang());
    const first = track(call(1));
    await expect(call(2)).rejects.toBeInstanceOf(QueueFullError);
    expect(first.state).toBe('pending');
  });
});

describe('maxChildren (process-wide)', () => {
  test("a method's call waits for a place another method's running call holds", async () => {
    configure({ maxChildren: 2 });
    const gates = [deferred(), deferred()];
    const a = fakePool({ concurrency: 4 }, ({ args }) => gates[args[0] as number]!.promise);
    const b = fakePool();
    const aCalls = [a.call(0), a.call(1)];
    await flush();
    const waiting = track(b.call('b'));
    await flush();
    expect(b.children.started).toHaveLength(0);
    expect(b.pool.stats()).toMatchObject({ queued: 1 });
    gates[0]!.resolve('a0');
    await flush();
    expect(waiting).toMatchObject({ state: 'fulfilled', value: 'b' });
    gates[1]!.resolve('a1');
    expect(await Promise.all(aCalls)).toEqual(['a0', 'a1']);
  });

  test('an idle warm child of another method gives way to a waiting call', async () => {
    configure({ maxChildren: 2 });
    const a = fakePool({ keepAlive: Infinity, concurrency: 2 });
    const b = fakePool();
    // Two calls at once: two warm children, idle after their calls, at the cap.
    expect(await Promise.all([a.call(1), a.call(2)])).toEqual([1, 2]);
    await flush();
    expect(a.children.live).toHaveLength(2);
    expect(await b.call('b')).toBe('b');
    expect(a.children.started.map((child) => child.endReason)).toContain('made-room');
    expect(a.children.live).toHaveLength(1);
  });

  test('a warm child that goes idle while another method waits for a place gives way to it', async () => {
    configure({ maxChildren: 1 });
    const gate = deferred();
    const a = fakePool({ keepAlive: Infinity }, () => gate.promise);
    const b = fakePool();
    const aCall = a.call(1);
    await flush();
    const waiting = track(b.call('b'));
    await flush();
    expect(waiting.state).toBe('pending');
    gate.resolve('a'); // a's child would stay warm, at the cap
    expect(await aCall).toBe('a');
    await flush();
    expect(waiting).toMatchObject({ state: 'fulfilled', value: 'b' });
    expect(a.children.started[0]!.endReason).toBe('made-room');
  });
});

describe('keepAlive', () => {
  test('a warm child takes the next calls; what it was told already is not sent again', async () => {
    const { call, children } = fakePool({ keepAlive: 60_000 });
    for (const n of [1, 2, 3]) expect(await call(n)).toBe(n);
    expect(children.started).toHaveLength(1);
    const [child] = children.started;
    expect(child!.calls).toBe(3);
    const messages = child!.received.filter((message) => message.type === 'call');
    expect(messages.map((message) => 'target' in message)).toEqual([true, false, false]);
    expect(messages.some((message) => 'exitAfter' in message)).toBe(false);
    expect(child!.referenced).toBe(false); // idle: it never keeps the parent alive
  });

  test('an idle child is retired when keepAlive runs out; the next call starts a new one', async () => {
    fakeTimers();
    const { call, children } = fakePool({ keepAlive: 1000 });
    await call(1);
    await vi.advanceTimersByTimeAsync(999);
    await flush();
    const [first] = children.started;
    expect(first!.exit).toBeUndefined();
    await call(2); // reused: its idle time starts again
    expect(children.started).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    await flush();
    expect(first!.endReason).toBe('idle');
    expect(first!.exit).toBeDefined();
    await call(3);
    expect(children.started).toHaveLength(2);
  });
});

describe('recycling', () => {
  test('maxCallsPerChild: a child that has run that many calls is retired, the next call gets a new one', async () => {
    const { call, children } = fakePool({ keepAlive: Infinity, maxCallsPerChild: 2 });
    for (const n of [1, 2, 3]) await call(n);
    await flush();
    expect(children.started.map((child) => child.calls)).toEqual([2, 1]);
    expect(children.started[0]!.endReason).toBe('recycled');
    expect(children.started[1]!.exit).toBeUndefined();
  });

  test('maxChildRss: the call asks for the peak RSS, and a child over the limit is retired', async () => {
    const peaks = [50 * MB, 150 * MB, 10 * MB];
    const { call, children } = fakePool({ keepAlive: Infinity, maxChildRss: 100 }, (fake) => {
      fake.stats.peakRss = peaks.shift()!;
      return 'ok';
    });
    for (let i = 0; i < 3; i++) await call(i);
    await flush();
    expect(children.started[0]!.received[0]).toMatchObject({ measure: true });
    expect(children.started.map((child) => child.calls)).toEqual([2, 1]);
    expect(children.started[0]!.endReason).toBe('recycled');
  });
});

describe('standby', () => {
  test('warmUp starts a standby child, the first call takes it, and a new standby replaces it', async () => {
    const { call, children, pool } = fakePool({ standby: true });
    pool.warmUp();
    expect(children.started).toHaveLength(1);
    const [standby] = children.started;
    expect(standby).toMatchObject({ preload: true, target: undefined, referenced: false });
    expect(await call('x')).toBe('x');
    expect(standby!.calls).toBe(1);
    expect(standby!.target).toBe(pool.label); // it became this method's child
    expect(children.started).toHaveLength(2);
    expect(children.started[1]).toMatchObject({ preload: true, calls: 0 });
  });

  test('no standby is started at the maxChildren cap: it is only a head start', async () => {
    configure({ maxChildren: 1 });
    const { call, children, pool } = fakePool({ standby: true }, () => hang());
    const running = track(call(1));
    await flush();
    pool.warmUp();
    expect(running.state).toBe('pending');
    expect(children.started).toHaveLength(1);
    expect(children.started[0]!.preload).toBe(false);
  });
});

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

describe('callbacks (callback-host.ts)', () => {
  test('the functions run in the order the child called them, and the call settles only after those called before the reply', async () => {
    const seen: number[] = [];
    const progress = async (percent: number) => {
      await flush(1); // an async function: the call must wait for it, not only start it
      seen.push(percent);
      return percent * 2;
    };
    const { call } = fakePool({}, async ({ callBack }) => {
      const first = await callBack(0, 10); // awaited: its answer comes back
      void callBack(0, 20); // not awaited: the reply follows at once
      return first;
    });
    const value = await call(progress);
    expect(value).toBe(20);
    expect(seen).toEqual([10, 20]);
  });

  test("the function's error answers the child's stub, which rejects with it", async () => {
    const { call } = fakePool({}, ({ callBack }) =>
      callBack(0).then(
        () => 'resolved',
        (error: unknown) => `rejected: ${JSON.stringify(error)}`,
      ),
    );
    const value = await call(() => {
      throw new Error('no disk');
    });
    expect(value).toMatch(/^rejected: .*no disk/);
  });

  test('a callback for a call that passed no functions breaks the protocol: ProtocolError, the child ended', async () => {
    const { call, children } = fakePool({ keepAlive: Infinity }, ({ message, child }) => {
      child.send(callbackMessage(message.id, 0, 1, { v: [], t: false }));
      return hang();
    });
    await expect(call('no functions here')).rejects.toBeInstanceOf(ProtocolError);
    await flush();
    expect(children.started[0]).toMatchObject({ endReason: 'protocol-error', exit: { signal: 'SIGKILL' } });
  });
});

/** Sends these values as the child's generator yields them. */
function yieldValues({ message, child }: FakeCall, ...values: string[]): void {
  child.send(
    streamItemsMessage(
      message.id,
      values.map((v) => ({ v, t: false })),
      values.map((v) => v.length),
    ),
  );
}

/** Runs a streamed call on the pool; the sink ends with the call, as stream-call.ts does. */
function stream(pool: ReturnType<typeof fakePool>['pool']): StreamSink {
  const sink = new StreamSink();
  pool.run({ ...callJob(pool.label, []), stream: sink }).then(
    (value) => sink.end({ value }),
    (error: unknown) => sink.end({ error }),
  );
  return sink;
}

describe('streams (stream-sink.ts)', () => {
  test("the child's values reach the consumer in order, and the call's value ends the stream", async () => {
    const { pool, children } = fakePool({}, (call) => {
      yieldValues(call, 'a', 'b');
      return 'the end';
    });
    const sink = stream(pool);
    expect(await sink.next()).toEqual({ value: 'a', done: false });
    expect(await sink.next()).toEqual({ value: 'b', done: false });
    expect(await sink.next()).toEqual({ value: 'the end', done: true });
    expect(children.started[0]!.received[0]).toMatchObject({ type: 'call', stream: { items: 1024 } }); // streamAhead's default
  });

  test('a stream whose child died before it delivered anything is retried; one that delivered values is not', async () => {
    let attempts = 0;
    const before = fakePool({ retries: 1 }, (call) => {
      if (++attempts === 1) call.child.crash(1);
      else yieldValues(call, 'fresh');
      return attempts === 1 ? hang() : 'done';
    });
    const retried = stream(before.pool);
    expect(await retried.next()).toEqual({ value: 'fresh', done: false });
    expect(before.children.started).toHaveLength(2);

    const after = fakePool({ retries: 1 }, (call) => {
      yieldValues(call, 'once');
      call.child.crash(1);
      return hang();
    });
    const failed = stream(after.pool);
    expect(await failed.next()).toEqual({ value: 'once', done: false });
    await expect(failed.next()).rejects.toBeInstanceOf(ChildExitedError);
    await flush();
    expect(after.children.started).toHaveLength(1); // 'once' would come twice
  });
});
