import { randomFillSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from 'isolated-call';
import { loadFixture } from './helpers/fixtures.js';
import { expectSameValue } from './helpers/same-value.js';

afterAll(() => shutdown());

let fx: Record<string, any>;
beforeAll(async () => {
  fx = await loadFixture('tc39', 'binary');
});

function random<T extends ArrayBufferView | ArrayBuffer>(value: T): T {
  randomFillSync(value instanceof ArrayBuffer ? new Uint8Array(value) : value);
  return value;
}

/** Every binary type, with odd lengths, offsets into larger buffers and pooled Buffers. */
function binaryCases(): Record<string, unknown> {
  const backing = random(new ArrayBuffer(64));
  return {
    buffer: random(Buffer.alloc(1000)),
    pooledBuffer: Buffer.from('a small Buffer sits inside a shared pool'),
    bufferSlice: random(Buffer.alloc(100)).subarray(7, 93),
    uint8: random(new Uint8Array(33)),
    emptyUint8: new Uint8Array(0),
    int8: random(new Int8Array(17)),
    uint8Clamped: random(new Uint8ClampedArray(9)),
    int16: random(new Int16Array(11)),
    uint16AtOffset: new Uint16Array(backing, 6, 10),
    int32: random(new Int32Array(5)),
    uint32: random(new Uint32Array(5)),
    float32: random(new Float32Array(7)),
    float64: random(new Float64Array(7)), // random bits: NaN payloads and -0 included
    bigInt64: random(new BigInt64Array(3)),
    bigUint64: random(new BigUint64Array(3)),
    dataView: new DataView(backing, 3, 20),
    arrayBuffer: random(new ArrayBuffer(77)),
    emptyArrayBuffer: new ArrayBuffer(0),
    megabyte: random(Buffer.alloc(1 << 20)),
  };
}

function nestedCases(): Record<string, unknown> {
  const { Packet } = fx;
  const shared = random(new Uint8Array(8));
  return {
    inArray: [random(Buffer.alloc(10)), [random(new Float64Array(2))]],
    inMap: new Map<unknown, unknown>([
      [random(new Uint8Array(4)), random(new Int32Array(2))],
      ['k', random(new ArrayBuffer(5))],
    ]),
    inSet: new Set([random(new Uint16Array(3)), random(Buffer.alloc(3))]),
    inObject: { deep: { deeper: { bytes: random(new BigUint64Array(1)) } } },
    inClassInstance: new Packet(random(new Uint8Array(16)), random(Buffer.alloc(64))),
    sameViewTwice: { a: shared, b: shared },
    besideTags: { url: new URL('https://example.com/'), body: random(Buffer.alloc(32)) },
  };
}

function leavesOf(value: unknown) {
  return fx.binaryLeaves(value) as { path: string; type: string; sha256: string }[];
}

describe('binary data', () => {
  it.each([
    ['plain (no-work path)', binaryCases],
    ['nested in arrays, Maps, Sets, objects and class instances (tagged path)', () => ({ ...binaryCases(), ...nestedCases() })],
  ])('arrives byte-exact with its type: %s', async (_name, make) => {
    const cases = make();
    const expected = leavesOf(cases);
    const { value, leaves } = await new fx.Bytes().echo(cases);
    expect(leaves).toEqual(expected); // what the child received
    expect(leavesOf(value)).toEqual(expected); // what came back
    expectSameValue(value, cases);
  });

  it('keeps Buffer a Buffer and Uint8Array a Uint8Array, both ways', async () => {
    const { value } = await new fx.Bytes().echo({ buffer: Buffer.from([1, 2, 3]), bytes: new Uint8Array([1, 2, 3]) });
    expect(Buffer.isBuffer(value.buffer)).toBe(true);
    expect(value.buffer.toString('hex')).toBe('010203');
    expect(Buffer.isBuffer(value.bytes)).toBe(false);
    expect(Object.getPrototypeOf(value.bytes)).toBe(Uint8Array.prototype);
  });
});
