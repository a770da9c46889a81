import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from 'isolated-call';
import { loadFixture } from './helpers/fixtures.js';

/** The protocol version every well-formed message carries. */
const { VERSION } = await loadFixture<{ VERSION: number }>('tc39', 'crafted-replies');
import { statsOf } from './helpers/sdk-state.js';

afterAll(() => shutdown());

const TAG = '\u0000ic'; // the codec's tag key (src/codec/tags.ts)
const TIME_LIMIT_MS = 15_000;
const SETTLE_WITHIN_MS = 10_000;

// Placeholders the child fills in (fixtures/src/protocol-fuzz.ts): its call id, the parent's folder, its pid.
const file = fc.constantFrom(
  '/etc/hostname',
  '$DIR/$PID-0123456789abcdef',
  '$DIR/../$PID-0123456789abcdef',
  '$DIR',
  '$DIR/1-0123456789abcdef',
  'relative',
  '',
);
const num = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, NaN, Infinity, -1, 2 ** 53),
  fc.string({ maxLength: 3 }),
  fc.constant(null),
);
const tag = fc.record(
  {
    [TAG]: fc.constantFrom('c', 'e', 'y', 'u', 'x', 'a', 'o', 'b', 'n', 'f', 'zz'),
    f: file,
    k: fc.constantFrom('string', 'Buffer', 'Uint8Array', 'Float64Array', 'DataView', 'ArrayBuffer', 'constructor', '__proto__'),
    id: fc.string({ maxLength: 8 }),
    n: fc.string({ maxLength: 8 }),
    m: fc.string({ maxLength: 8 }),
    h: fc.string({ maxLength: 8 }),
    p: fc.oneof(fc.constant(null), fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 3 })),
    i: num,
    r: fc.constantFrom(0, 1, 2, 3),
    g: fc.boolean(),
    v: fc.anything({ maxDepth: 1 }),
    c: fc.anything({ maxDepth: 1 }),
  },
  { requiredKeys: [TAG] },
);
const tree = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  tag,
  fc.array(tag, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), tag, { maxKeys: 3 }),
);
const encoded = fc.oneof(
  { weight: 4, arbitrary: fc.record({ v: tree, t: fc.boolean(), f: fc.array(file, { maxLength: 3 }) }, { requiredKeys: ['v', 't'] }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
);
const stats = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ loadMs: 1, runMs: 2, peakRss: 0 }) },
  { weight: 2, arbitrary: fc.record({ loadMs: num, runMs: num, peakRss: num }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
);
const ours = fc.record(
  {
    __isolatedCall: fc.oneof({ weight: 12, arbitrary: fc.constant(VERSION) }, { weight: 1, arbitrary: fc.anything({ maxDepth: 0 }) }),
    type: fc.constantFrom('ready', 'result', 'result', 'error', 'error', 'callback', 'callback', 'call', 'abort', 'bogus'),
    id: fc.oneof(
      { weight: 8, arbitrary: fc.constant('$ID') },
      { weight: 1, arbitrary: num },
      { weight: 1, arbitrary: fc.integer({ min: 1 }) },
    ),
    stats,
    value: encoded,
    error: encoded,
    phase: fc.constantFrom('load', 'decode', 'run', 'encode', 'other'),
    path: fc.oneof(fc.string({ maxLength: 10 }), num),
    reason: fc.oneof(fc.string({ maxLength: 10 }), num),
    // A callback call: the call passes one function, so index 0 is the valid one.
    callback: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: num }),
    seq: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: num }),
    args: encoded,
  },
  { requiredKeys: ['__isolatedCall', 'type'] },
);
const message = fc.oneof({ weight: 8, arbitrary: ours }, { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) });

let fx: Record<string, any>;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(async () => {
  fx = await loadFixture('tc39', 'protocol-fuzz');
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => process.off('unhandledRejection', onUnhandled));

/** Resolves with how the call settled, or 'pending' if it didn't within `ms`. */
function settleWithin(call: Promise<unknown>, ms: number): Promise<'resolved' | 'rejected' | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), ms)));
  const settled = call.then(
    () => 'resolved' as const,
    () => 'rejected' as const,
  );
  return Promise.race([settled, late]).finally(() => clearTimeout(timer));
}

describe('fuzz: a child sends random message shapes on the SDK channel', () => {
  it(`every call settles, the parent stays up and keeps its slots (${TIME_LIMIT_MS / 1000} s of runs)`, async () => {
    let calls = 0;
    let sent = 0;
    const outcomes = { resolved: 0, rejected: 0, pending: 0 };
    const started = performance.now();
    let last: Promise<unknown> = Promise.resolve();
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 40, maxLength: 120 }), async (messages) => {
        calls++;
        sent += messages.length;
        last = new fx.Fuzz().send(messages, () => 'answered');
        const outcome = await settleWithin(last, SETTLE_WITHIN_MS);
        outcomes[outcome]++;
        expect(outcome).not.toBe('pending');
      }),
      { numRuns: 10_000, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
    // The time limit abandons the run in progress, not its call: that one must settle too.
    const lastOutcome = await settleWithin(last, SETTLE_WITHIN_MS);
    expect(lastOutcome).not.toBe('pending');
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `protocol fuzz: ${calls} calls, ${sent} messages sent by their children in ${seconds.toFixed(1)} s; outcomes ${JSON.stringify(outcomes)}`,
    );
    // Enough runs to mean something: about 300 on a quiet 2-CPU machine, under 20 at a load average of 12.
    expect(calls).toBeGreaterThan(5);
    expect(unhandled).toEqual([]);
    // Still serving: a call with nothing crafted returns the real reply, and no slot was lost.
    expect(await new fx.Fuzz().send([])).toBe('sent');
    expect(statsOf('Fuzz.send'), JSON.stringify(statsOf('Fuzz.send'))).toMatchObject({ running: 0, queued: 0 });
  }, 60_000);
});
