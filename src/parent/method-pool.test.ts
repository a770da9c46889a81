/**
 * The scheduler over fake children: which child runs each call, how many at
 * once, and which stay. The same behaviours with real children are in
 * test/concurrency, keep-alive, queue-limits, recycling and standby.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { QueueFullError } from '../errors/queue-full-error.js';
import { kDefaultProcessOptions } from '../options/table.js';
import { configure } from './configure.js';
import { flush, hang } from './fake-child.test-helper.js';
import { shutdown } from './lifecycle.js';
import { deferred, fakePool, track } from './pool-under-test.test-helper.js';

const MB = 1024 * 1024;

afterEach(async () => {
  vi.useRealTimers();
  await shutdown({ force: true });
  configure({ maxChildren: kDefaultProcessOptions.maxChildren });
});

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
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
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
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
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
