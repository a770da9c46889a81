import diagnosticsChannel from 'node:diagnostics_channel';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CallTimeoutError,
  configure,
  type CallTraceContext,
  type ChildExitEvent,
  type ChildSpawnEvent,
  diagnosticsChannels,
  SerializationError,
  shutdown,
  stats,
} from 'isolated-call';
import { loadFixture } from './helpers/fixtures.js';
import { shutdownAndReset } from './helpers/sdk-state.js';
import { waitForExit } from './helpers/processes.js';

type CallEvent = 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error';
interface Seen {
  event: CallEvent;
  context: CallTraceContext;
  /** What the context held when the event came (the object itself fills in as the call goes). */
  snapshot: CallTraceContext;
}

const calls = diagnosticsChannel.tracingChannel<unknown, CallTraceContext>(diagnosticsChannels.call);
const seen: Seen[] = [];
const spawns: ChildSpawnEvent[] = [];
const exits: ChildExitEvent[] = [];
const record = (event: CallEvent) => (context: CallTraceContext) => seen.push({ event, context, snapshot: { ...context } });
const handlers = {
  start: record('start'),
  end: record('end'),
  asyncStart: record('asyncStart'),
  asyncEnd: record('asyncEnd'),
  error: record('error'),
};
const onSpawn = (event: unknown) => spawns.push(event as ChildSpawnEvent);
const onExit = (event: unknown) => exits.push(event as ChildExitEvent);

beforeAll(() => {
  calls.subscribe(handlers);
  diagnosticsChannel.subscribe(diagnosticsChannels.childSpawn, onSpawn);
  diagnosticsChannel.subscribe(diagnosticsChannels.childExit, onExit);
});
afterAll(() => {
  calls.unsubscribe(handlers);
  diagnosticsChannel.unsubscribe(diagnosticsChannels.childSpawn, onSpawn);
  diagnosticsChannel.unsubscribe(diagnosticsChannels.childExit, onExit);
});
afterEach(async () => {
  await shutdownAndReset();
  seen.length = 0;
  spawns.length = 0;
  exits.length = 0;
});

const eventsOf = (target: string) => seen.filter((s) => s.context.target === target);

/** The exit event of `pid`, waiting for it (a child's exit is reported once its stderr is drained). */
async function exitOf(pid: number | undefined, ms = 5000): Promise<ChildExitEvent> {
  const deadline = Date.now() + ms;
  for (;;) {
    const event = exits.find((e) => e.pid === pid);
    if (event) return event;
    if (Date.now() > deadline) throw new Error(`no exit event for pid ${pid}; got ${JSON.stringify(exits)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the isolated-call:call TracingChannel', () => {
  it('traces a successful call: start, end, asyncStart, asyncEnd on one context, filled in as the call goes', async () => {
    const { Observed } = await loadFixture('tc39', 'observed');
    const pid: number = await new Observed().work(50);
    const events = eventsOf('Observed.work');
    expect(events.map((e) => e.event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(new Set(events.map((e) => e.context)).size).toBe(1);
    const [start, end, asyncStart] = events;
    expect(start!.snapshot).toMatchObject({ target: 'Observed.work', pid: undefined, totalMs: 0 });
    // The synchronous part returned once the call was handed to a new child.
    expect(end!.snapshot.pid).toBe(pid);
    const done = asyncStart!.snapshot;
    expect(done).toMatchObject({ target: 'Observed.work', pid, result: pid, attempts: 1 });
    expect(done.error).toBeUndefined();
    expect(done.runMs).toBeGreaterThanOrEqual(45);
    expect(done.startupMs).toBeGreaterThan(0);
    expect(done.totalMs).toBeGreaterThanOrEqual(done.runMs + done.startupMs);
    expect(done.queueMs).toBeGreaterThanOrEqual(0);
    expect(done.loadMs).toBeGreaterThan(0);
    // Subscribing makes the child measure its peak RSS.
    expect(done.peakRss).toBeGreaterThan(10 * 1024 * 1024);
  });

  it('traces a thrown error: error comes before asyncStart, with the rebuilt error', async () => {
    const { Observed } = await loadFixture('tc39', 'observed');
    const thrown = await new Observed().fail('boom').catch((error: unknown) => error);
    expect(thrown).toMatchObject({ message: 'boom' });
    const events = eventsOf('Observed.fail');
    expect(events.map((e) => e.event)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    const { snapshot } = events[2]!;
    expect(snapshot.error).toBe(thrown);
    expect(snapshot.pid).toBeGreaterThan(0);
    expect(snapshot.runMs).toBeGreaterThanOrEqual(0);
    expect(snapshot.totalMs).toBeGreaterThan(0);
    expect('result' in snapshot).toBe(false);
  });

  it('traces a timeout, and the child exits for it', async () => {
    const { Observed } = await loadFixture('tc39', 'observed');
    await expect(new Observed().hang()).rejects.toBeInstanceOf(CallTimeoutError);
    const events = eventsOf('Observed.hang');
    expect(events.map((e) => e.event)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    const { snapshot } = events[2]!;
    expect(snapshot.error).toBeInstanceOf(CallTimeoutError);
    expect(snapshot.totalMs).toBeGreaterThanOrEqual(295);
    expect(snapshot.runMs).toBe(0); // the child never replied
    const exit = await exitOf(snapshot.pid);
    expect(exit).toMatchObject({ target: 'Observed.hang', reason: 'timeout', signal: 'SIGKILL', calls: 1 });
  });

  it('traces a call that fails before any child starts', async () => {
    const { Observed } = await loadFixture('tc39', 'observed');
    await expect(new Observed().work(Symbol('not sendable') as never)).rejects.toBeInstanceOf(SerializationError);
    const events = eventsOf('Observed.work');
    expect(events.map((e) => e.event)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(events[2]!.snapshot).toMatchObject({ pid: undefined, attempts: 0 });
    expect(spawns).toEqual([]);
  });

  it('is published by the CommonJS build on the same channel', async () => {
    const { Observed } = await loadFixture('cjs', 'observed');
    await new Observed().work(0);
    expect(eventsOf('Observed.work').map((e) => e.event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
  });
});

describe('the child:spawn and child:exit channels', () => {
  it('a fresh child: spawned for its method, exits after its call', async () => {
    const { Observed } = await loadFixture('tc39', 'observed');
    const pid: number = await new Observed().work(0);
    expect(spawns).toEqual([expect.objectContaining({ pid, target: 'Observed.work', standby: false })]);
    expect(spawns[0]!.execArgv).toBeInstanceOf(Array);
    expect(await exitOf(pid)).toEqual({
      pid,
      target: 'Observed.work',
      standby: false,
      exitCode: 0,
      signal: null,
      reason: 'after-call',
      calls: 1,
    });
  });

  it('a warm child: idle, recycled, shutdown', async () => {
    const { Observed } = await loadFixture('tc39', 'observed');
    const observed = new Observed();
    const idle: number = await observed.briefly();
    const recycled: number = await observed.once();
    const warm: number = await observed.warm();
    expect(await exitOf(idle)).toMatchObject({ reason: 'idle', target: 'Observed.briefly' });
    expect(await exitOf(recycled)).toMatchObject({ reason: 'recycled', target: 'Observed.once' });
    await shutdown();
    expect(await exitOf(warm)).toMatchObject({ reason: 'shutdown', target: 'Observed.warm' });
  });

  it('crashes: process.exit() in a call, a kill from outside', async () => {
    const { Observed } = await loadFixture('tc39', 'observed');
    const observed = new Observed();
    await expect(observed.exit(7)).rejects.toThrow();
    const exited = spawns.find((s) => s.target === 'Observed.exit')!;
    expect(await exitOf(exited.pid)).toMatchObject({ reason: 'crash', exitCode: 7, signal: null });
    const warm: number = await observed.warm();
    process.kill(warm, 'SIGKILL');
    expect(await exitOf(warm)).toMatchObject({ reason: 'crash', signal: 'SIGKILL', target: 'Observed.warm' });
  });

  it('a protocol error', async () => {
    const { ProtocolMisuse } = await loadFixture('tc39', 'protocol-misuse');
    await expect(new ProtocolMisuse().malformed()).rejects.toThrow();
    const child = spawns.find((s) => s.target === 'ProtocolMisuse.malformed')!;
    expect(await exitOf(child.pid)).toMatchObject({ reason: 'protocol-error', signal: 'SIGKILL' });
  });

  it('an idle warm child making room under maxChildren', async () => {
    const { Observed } = await loadFixture('tc39', 'observed');
    configure({ maxChildren: 1 });
    const warm: number = await new Observed().warm();
    const fresh: number = await new Observed().work(0);
    expect(fresh).not.toBe(warm);
    expect(await exitOf(warm)).toMatchObject({ reason: 'made-room', target: 'Observed.warm' });
  });

  it('an abort', async () => {
    const { Observed } = await loadFixture('tc39', 'observed');
    const controller = new AbortController();
    const call = new Observed().waitForAbort(controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    await expect(call).rejects.toThrow();
    const child = spawns.find((s) => s.target === 'Observed.waitForAbort')!;
    expect(await exitOf(child.pid)).toMatchObject({ reason: 'abort', signal: 'SIGKILL' });
    expect(await waitForExit(child.pid!)).toBe(true);
  });

  it("a standby child: spawned as one, then its method's", async () => {
    const { Observed } = await loadFixture('tc39', 'observed');
    const pid: number = await new Observed().standby();
    // The call started a fresh child and then a standby for the next call.
    const standby = spawns.find((s) => s.standby);
    expect(standby).toMatchObject({ target: undefined });
    expect(spawns.find((s) => s.pid === pid)).toMatchObject({ target: 'Observed.standby', standby: false });
    const next: number = await new Observed().standby();
    expect(next).toBe(standby!.pid);
    expect(await exitOf(next)).toMatchObject({ target: 'Observed.standby', standby: true, reason: 'after-call' });
  });
});

describe('stats() latency percentiles', () => {
  it('gives wait and run time percentiles per method', async () => {
    const { Observed } = await loadFixture('tc39', 'observed');
    const observed = new Observed();
    for (let i = 0; i < 10; i++) await observed.warm(i < 9 ? 1 : 120);
    await Promise.all([observed.warm(0), observed.warm(0)]); // runs on two children at once: no wait
    const entry = stats().find((s) => s.target === 'Observed.warm')!;
    expect(entry.runMs.samples).toBe(12);
    expect(entry.waitMs.samples).toBe(12);
    const { p50, p90, p99, max } = entry.runMs;
    expect(p50).toBeLessThanOrEqual(p90);
    expect(p90).toBeLessThanOrEqual(p99);
    expect(p99).toBeLessThanOrEqual(max);
    expect(p50).toBeLessThan(50);
    expect(max).toBeGreaterThanOrEqual(115);
    expect(entry.waitMs.max).toBeGreaterThanOrEqual(0);
    expect(entry.waitMs.p50).toBeLessThan(50);
  });

  it('counts a thrown error as run time, and a call that never got a child as neither', async () => {
    const { Observed } = await loadFixture('tc39', 'observed');
    const observed = new Observed();
    await expect(observed.fail('x')).rejects.toThrow('x');
    await expect(observed.fail(Symbol('not sendable') as never)).rejects.toBeInstanceOf(SerializationError);
    const entry = stats().find((s) => s.target === 'Observed.fail')!;
    expect(entry.failures).toBe(1); // the serialization error failed before the pool
    expect(entry.runMs.samples).toBe(1);
    expect(entry.waitMs.samples).toBe(1);
  });
});
