import { describe, expect, it } from 'vitest';
import { Kind, classify, classifyContext } from './classify.js';
import { registerClass, registerCustom } from './register.js';
import { TAG } from './tags.js';

class Registered {
  x = 1;
}
registerClass(Registered, 'classify.test/Registered');
class Unregistered {}
class Decimal {
  constructor(readonly text: string) {}
}
registerCustom<Decimal, string>(
  { isApplicable: (v): v is Decimal => v instanceof Decimal, serialize: (v) => v.text, deserialize: (t) => new Decimal(t) },
  'classify.test/Decimal',
);

const plain = classifyContext(false);

describe('classify', () => {
  it.each<[string, () => object, Kind]>([
    ['a record', () => ({ a: 1 }), Kind.Record],
    ['a record with the tag key', () => ({ [TAG]: 'c' }), Kind.TaggedRecord],
    ['an array', () => [1, , 3], Kind.Array],
    ['a Map', () => new Map(), Kind.Map],
    ['a Set', () => new Set(), Kind.Set],
    ['a Date', () => new Date(), Kind.NativeLeaf],
    ['a RegExp', () => /x/g, Kind.NativeLeaf],
    ['a Buffer', () => Buffer.from('x'), Kind.NativeLeaf],
    ['a Float64Array', () => new Float64Array(2), Kind.NativeLeaf],
    ['a boxed string', () => Object('s') as object, Kind.NativeLeaf],
    ['a null-prototype object', () => Object.create(null) as object, Kind.NullProto],
    ['an Error', () => new TypeError('x'), Kind.Error],
    ['a URL', () => new URL('https://example.com/'), Kind.Url],
    ['an AbortSignal', () => new AbortController().signal, Kind.Signal],
    ['a registered instance', () => new Registered(), Kind.Instance],
    ['a custom value', () => new Decimal('1.5'), Kind.Custom],
    ['an unregistered instance', () => new Unregistered(), Kind.Unsendable],
    ['a WeakMap', () => new WeakMap(), Kind.Unsendable],
    ['a Map subclass', () => new (class Registry extends Map {})(), Kind.SubclassedBuiltin],
    ['an Array subclass', () => new (class List extends Array {})(), Kind.SubclassedBuiltin],
    ['a Proxy of a record', () => new Proxy({}, {}), Kind.Proxy],
    [
      'a revoked Proxy',
      () => {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        return proxy;
      },
      Kind.Proxy,
    ],
    ['a SharedArrayBuffer', () => new SharedArrayBuffer(8), Kind.SharedMemory],
    ['a view over a SharedArrayBuffer', () => new Uint8Array(new SharedArrayBuffer(8)), Kind.SharedMemory],
  ])('%s', (_name, make, kind) => {
    expect(classify(make(), plain)).toBe(kind);
  });

  it('calls large binary data LargeBinary only when offloading', () => {
    const big = new Uint8Array(2 * 1024 * 1024);
    expect(classify(big, plain)).toBe(Kind.NativeLeaf);
    expect(classify(big, classifyContext(true))).toBe(Kind.LargeBinary);
  });

  it("lets a transformer take a proxy, and refuses a revoked one it can't read", () => {
    const proxied = new Proxy(new Decimal('2'), {});
    expect(classify(proxied, plain)).toBe(Kind.Custom);
    const { proxy, revoke } = Proxy.revocable(new Decimal('3'), {});
    revoke();
    expect(classify(proxy, plain)).toBe(Kind.Proxy);
  });

  it('ignores custom transformers when the context has none (the decoding side)', () => {
    expect(classify(new Decimal('1'), { offload: false, custom: undefined })).toBe(Kind.Unsendable);
  });
});
