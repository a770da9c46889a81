import { EventEmitter } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors/protocol-error.js';
import { SerializationError } from '../errors/serialization-error.js';
import { decode, type DecodeHooks } from './decode.js';
import { encode } from './encode.js';
import { encodeThis } from './encode-this.js';
import { registerClass } from './register.js';
import { blobDirectory, discardBlobs } from './blobs.js';
import { TAG, Tag, leftBehindTag, type Encoded } from './tags.js';

/** What NestJS injects: a class nobody registered. */
class ConfigService {
  get(key: string): string {
    return key;
  }
}

class Logger extends EventEmitter {}

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}
registerClass(Point, 'left-behind.test/Point');

class ReportService {
  readonly logger = new Logger();
  readonly title = 'report';
  readonly limits = { max: 3, when: new Date(0) };
  readonly origin = new Point(1, 2);
  constructor(readonly config: ConfigService) {}
}
registerClass(ReportService, 'left-behind.test/ReportService');

const child: DecodeHooks = { side: 'the child' };

/** `this` as the child rebuilds it, through structured clone as over IPC. */
function sendThis(self: object, hooks = child): { self: any; leftBehind: readonly string[] } {
  const { encoded, leftBehind } = encodeThis(self, true, 'unused', undefined);
  return { self: decode(deserialize(serialize(encoded)) as Encoded, 'this', hooks), leftBehind };
}

function thrown(read: () => unknown): SerializationError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(SerializationError);
    return error as SerializationError;
  }
  throw new Error('did not throw');
}

describe('fields of `this` that cannot cross are left behind', () => {
  it('the other fields arrive; the instance is of its class; the left-behind ones are listed', () => {
    const { self, leftBehind } = sendThis(new ReportService(new ConfigService()));
    expect([...leftBehind].sort()).toEqual(['this.config', 'this.logger']);
    expect(self).toBeInstanceOf(ReportService);
    expect(self.title).toBe('report');
    expect(self.limits).toEqual({ max: 3, when: new Date(0) });
    expect(self.origin).toBeInstanceOf(Point);
    expect(Object.keys(self)).toEqual(Object.keys(new ReportService(new ConfigService())));
  });

  it('reading one throws a SerializationError naming the field, why, and the fix', () => {
    const { self } = sendThis(new ReportService(new ConfigService()));
    const error = thrown(() => self.config);
    expect(error.code).toBe('ERR_ISOLATED_SERIALIZE');
    expect(error.path).toBe('this.config');
    expect(error.reason).toMatch(/^it stayed in the parent, and the method read it in the child: it is an instance of class ConfigService/);
    expect(error.reason).toMatch(/registerClass\(ConfigService\)/);
    expect(error.reason).toMatch(/pass what the method needs as an argument, or make the method not use this\.config$/);
    expect(thrown(() => self.logger).reason).toMatch(/live object/);
  });

  it('writing one replaces it with the value written', () => {
    const { self } = sendThis(new ReportService(new ConfigService()));
    self.config = { get: () => 'x' };
    expect(self.config.get()).toBe('x');
    expect(Object.getOwnPropertyDescriptor(self, 'config')).toMatchObject({ writable: true, enumerable: true });
  });

  it('a field with something unsendable deep inside is left behind whole, the reason naming the inner path', () => {
    const shared = { n: 1 };
    const self = Object.assign(new ReportService(new ConfigService()), {
      options: { shared, nested: { onProgress: () => {} } },
      alsoShared: shared,
    });
    const { self: out, leftBehind } = sendThis(self);
    expect(leftBehind).toContain('this.options (this.options.nested.onProgress)');
    const error = thrown(() => out.options);
    expect(error.path).toBe('this.options');
    expect(error.reason).toMatch(
      /^it stayed in the parent \(this\.options\.nested\.onProgress can't cross\), and the method read it in the child: it is a function/,
    );
    // The failed walk's half-built copy of `shared` is forgotten: the later field gets a whole one.
    expect(out.alsoShared).toEqual({ n: 1 });
  });

  it('large data a left-behind field had already written beside the message is deleted, and not listed', () => {
    const blobDir = blobDirectory();
    const before = readdirSync(blobDir).length;
    const self = Object.assign(new ReportService(new ConfigService()), {
      cache: { big: Buffer.alloc(2 * 1024 * 1024, 1), fn: () => {} },
      kept: Buffer.alloc(2 * 1024 * 1024, 2),
    });
    const { encoded } = encodeThis(self, true, 'unused', blobDir);
    expect(encoded.f).toHaveLength(1);
    expect(readdirSync(blobDir)).toHaveLength(before + 1);
    const out: any = decode(deserialize(serialize(encoded)) as Encoded, 'this', { ...child, readBlob: (f) => readFileSync(f) });
    // .equals, not toEqual: a deep comparison of 2 MiB element by element takes seconds.
    expect(Buffer.isBuffer(out.kept) && out.kept.equals(Buffer.alloc(2 * 1024 * 1024, 2))).toBe(true);
    expect(thrown(() => out.cache).path).toBe('this.cache');
    for (const file of encoded.f!) expect(existsSync(file)).toBe(true);
    discardBlobs(encoded.f);
  });

  it('a getter that throws leaves its field behind, and cycles through `this` still arrive', () => {
    const self: any = new ReportService(new ConfigService());
    Object.defineProperty(self, 'broken', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    self.me = self;
    const { self: out } = sendThis(self);
    expect(out.me).toBe(out);
    expect(thrown(() => out.broken).reason).toMatch(/reading it threw Error: boom/);
  });

  it('sendThis: false sends the field names only, each left behind with a reason naming the option', () => {
    const { encoded, leftBehind } = encodeThis(new ReportService(new ConfigService()), false, 'left-behind.test/ReportService', undefined);
    expect(leftBehind).toEqual(Object.keys(new ReportService(new ConfigService())).map((key) => `this.${key}`));
    const out: any = decode(deserialize(serialize(encoded)) as Encoded, 'this', child);
    expect(out).toBeInstanceOf(ReportService);
    expect(thrown(() => out.title).reason).toMatch(/sendThis: false/);
  });
});

describe('only `this` is lenient', () => {
  it('arguments still fail fast, at the path of what cannot cross', () => {
    expect(() => encode([{ config: new ConfigService() }], 'args')).toThrow(/Cannot send args\[0\]\.config/);
  });

  it("without the option, encoding `this` fails as before (the codec's default)", () => {
    expect(() => encode(new ReportService(new ConfigService()), 'this')).toThrow(/Cannot send this\.(config|logger)/);
  });

  it('fields of nested instances are not left behind: the whole field is', () => {
    const self = Object.assign(new ReportService(new ConfigService()), { inner: new Point(0, 0) });
    (self.inner as any).fn = () => {};
    const { self: out } = sendThis(self);
    expect(thrown(() => out.inner).reason).toMatch(/this\.inner\.fn can't cross/);
  });

  it.each([
    ['a result', 'result', leftBehindTag('result.x', 'r')],
    [
      'a nested field of `this`',
      'this',
      { [TAG]: Tag.Instance, id: 'left-behind.test/Point', p: { x: { y: leftBehindTag('this.x.y', 'r') } } },
    ],
  ])('a left-behind tag in %s is malformed (a ProtocolError in the parent)', (_name, root, v) => {
    const malformed = (path: string, reason: string) => new ProtocolError(`${path}: ${reason}`);
    expect(() => decode({ v, t: true }, root, { side: 'the parent', malformed })).toThrow(/left-behind tag/);
  });

  it('a malformed left-behind tag is refused with its field named', () => {
    expect(() => decode({ v: { [TAG]: Tag.LeftBehind, w: 1, r: 'x' }, t: true }, 'result', child)).toThrow(
      /malformed "l" tag: its w should be a string/,
    );
  });
});
