import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callbackMessage, errorMessage, readyMessage, resultMessage } from './build-messages.js';
import { MARKER, PROTOCOL_VERSION } from './messages.js';
import { parseChildMessage } from './parse-child-message.js';
import { MAX_STREAM_BATCH, streamItemsMessage } from './stream-messages.js';

const stats = { loadMs: 1.5, runMs: 0, peakRss: 123 };

describe('parseChildMessage', () => {
  it('accepts what the child builds, field for field', () => {
    const result = resultMessage(7, { v: [1], t: true, f: ['/dev/shm/x/1-0123456789abcdef'] }, stats);
    expect(parseChildMessage(result)).toEqual({ kind: 'message', message: result });
    const error = errorMessage({ id: 8, phase: 'encode', error: { v: 'x', t: false }, path: 'result.a', reason: 'why', stats });
    expect(parseChildMessage(error)).toEqual({ kind: 'message', message: error });
    expect(parseChildMessage(readyMessage())).toEqual({ kind: 'message', message: readyMessage() });
  });

  it('says "foreign" for anything without the marker', () => {
    for (const m of [null, undefined, 1, 'x', [], { hello: 'world' }, new Map([[MARKER, 1]])])
      expect(parseChildMessage(m).kind).toBe('foreign');
  });

  it('keeps the id of a reply whose other fields are wrong, and only a usable one', () => {
    const base = { [MARKER]: PROTOCOL_VERSION, type: 'result', value: { v: 1, t: false } };
    expect(parseChildMessage({ ...base, id: 3, stats: null })).toMatchObject({
      kind: 'invalid',
      id: 3,
      reason: expect.stringContaining('stats are null'),
    });
    for (const id of [0, -1, 1.5, 2 ** 53, '3', null]) {
      const parsed = parseChildMessage({ ...base, id, stats });
      expect(parsed.kind).toBe('invalid');
      expect((parsed as { id?: number }).id).toBeUndefined();
    }
  });

  it('checks a callback call field by field, keeping its id', () => {
    const ok = callbackMessage(4, 0, 1, { v: [1, 'a'], t: false });
    expect(parseChildMessage(ok)).toEqual({ kind: 'message', message: ok });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ callback: -1 }, /callback -1 is not an index/],
      [{ callback: 1.5 }, /callback 1.5 is not an index/],
      [{ seq: 0 }, /seq 0 is not a positive safe integer/],
      [{ args: 'raw' }, /args is "raw", not an encoded value/],
      [{ args: { v: 1, t: true, f: [7] } }, /args.f\[0\]/],
    ];
    for (const [change, reason] of cases) {
      const parsed = parseChildMessage({ ...ok, ...change });
      expect(parsed).toMatchObject({ kind: 'invalid', id: 4 });
      expect((parsed as { reason: string }).reason).toMatch(reason);
    }
    const noId = parseChildMessage({ ...ok, id: 0 });
    expect(noId.kind).toBe('invalid');
    expect((noId as { id?: number }).id).toBeUndefined();
  });

  it('clips path and reason at the child, so a real child never exceeds the bound', () => {
    const error = errorMessage({ id: 1, phase: 'decode', error: { v: 1, t: false }, reason: 'x'.repeat(100_000), stats });
    expect(parseChildMessage(error).kind).toBe('message');
  });

  it('never throws, and whatever it accepts has every field in range (fuzz)', () => {
    const num = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-0, NaN, Infinity, -1), fc.string({ maxLength: 2 }), fc.constant(null));
    const encoded = fc.oneof(
      fc.record(
        {
          v: fc.anything({ maxDepth: 1 }),
          t: fc.oneof(fc.boolean(), num),
          f: fc.oneof(fc.array(fc.string()), fc.anything({ maxDepth: 1 })),
        },
        { requiredKeys: [] },
      ),
      fc.anything({ maxDepth: 1 }),
    );
    const message = fc.oneof(
      fc.record(
        {
          [MARKER]: fc.oneof(fc.constant(PROTOCOL_VERSION), fc.anything({ maxDepth: 0 })),
          type: fc.oneof(fc.constantFrom('ready', 'result', 'error', 'callback'), fc.anything({ maxDepth: 0 })),
          id: fc.oneof(fc.integer(), num),
          stats: fc.oneof(fc.record({ loadMs: num, runMs: num, peakRss: num }, { requiredKeys: [] }), fc.anything({ maxDepth: 1 })),
          value: encoded,
          error: encoded,
          phase: fc.oneof(fc.constantFrom('load', 'decode', 'run', 'encode'), fc.anything({ maxDepth: 0 })),
          path: fc.oneof(fc.string(), num),
          reason: fc.oneof(fc.string(), num),
          callback: fc.oneof(fc.nat(), num),
          seq: fc.oneof(fc.integer(), num),
          args: encoded,
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    );
    fc.assert(
      fc.property(message, (m) => {
        const parsed = parseChildMessage(m);
        if (parsed.kind !== 'message' || parsed.message.type === 'ready' || parsed.message.type === 'stream-items') return;
        const reply = parsed.message;
        expect(Number.isSafeInteger(reply.id) && reply.id > 0).toBe(true);
        if (reply.type === 'callback') {
          expect(Number.isSafeInteger(reply.callback) && reply.callback >= 0).toBe(true);
          expect(Number.isSafeInteger(reply.seq) && reply.seq > 0).toBe(true);
          expect(typeof reply.args.t).toBe('boolean');
          return;
        }
        for (const n of Object.values(reply.stats)) expect(Number.isFinite(n) && n >= 0).toBe(true);
        const enc = reply.type === 'result' ? reply.value : reply.error;
        expect(typeof enc.t).toBe('boolean');
        for (const f of enc.f ?? []) expect(typeof f).toBe('string');
        if (reply.type === 'error') expect(['load', 'decode', 'run', 'encode']).toContain(reply.phase);
      }),
      // fast-check draws a new seed each run, so runs add up; FUZZ_RUNS asks for more at once.
      { numRuns: Number(process.env.FUZZ_RUNS ?? 5_000) },
    );
  });
});

describe('parseChildMessage: stream-items', () => {
  const item = { v: { row: 1 }, t: false };
  it('accepts a batch of encoded values with a size for each', () => {
    const message = streamItemsMessage(4, [item, { v: 'x', t: true, f: ['/tmp/a'] }], [10, 20]);
    expect(parseChildMessage(message)).toEqual({ kind: 'message', message });
  });
  it.each([
    ['no items', { items: undefined, bytes: [] }, /items are not an array/],
    ['too many items', { items: Array(MAX_STREAM_BATCH + 1).fill(item), bytes: Array(MAX_STREAM_BATCH + 1).fill(1) }, /items are not/],
    ['sizes of another length', { items: [item], bytes: [1, 2] }, /bytes are not an array as long as its items/],
    ['a fractional size', { items: [item], bytes: [1.5] }, /bytes\[0\] is 1.5/],
    ['an item without t', { items: [{ v: 1 }], bytes: [1] }, /items\[0\].t is undefined/],
  ])('refuses %s, naming the call', (_, fields, reason) => {
    const parsed = parseChildMessage({ ...streamItemsMessage(9, [item], [1]), ...fields });
    expect(parsed).toMatchObject({ kind: 'invalid', id: 9 });
    expect(parsed.kind === 'invalid' && parsed.reason).toMatch(reason);
  });
});
