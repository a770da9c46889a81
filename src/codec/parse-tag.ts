import {
  ErrorClassSource, TAG, Tag, blobTag, customTag, escapedTag, instanceTag, nullProtoTag, signalTag, symbolTag, urlTag,
  type EncodedProps, type ErrorTag, type TagObject,
} from './tags.js';

/**
 * Reads a tag that came over the wire into its typed form. The other side
 * may be a child running anything, so every field is checked: a malformed tag
 * becomes one clear reason (the decoder turns it into a SerializationError
 * with the path), never a TypeError halfway through rebuilding.
 *
 * @param raw An object that has the TAG key.
 * @returns The tag, or a string saying what is wrong with it.
 */
export function parseTag(raw: Readonly<Record<string, unknown>>): TagObject | string {
  const kind = raw[TAG];
  const r = new FieldReader(raw, kind);
  switch (kind) {
    case Tag.Instance:
      return r.done(() => instanceTag(r.string('id'), r.props('p')));
    case Tag.Error:
      return r.done(() => readErrorTag(r));
    case Tag.Symbol:
      return r.done(() => symbolTag(r.string('k'), r.boolean('g')));
    case Tag.Url:
      return r.done(() => urlTag(r.string('h')));
    case Tag.Custom:
      return r.done(() => customTag(r.string('n'), raw.v));
    case Tag.Signal:
      return r.done(() => signalTag(r.index('i')));
    case Tag.Escaped:
      return r.done(() => escapedTag(r.entries('v')));
    case Tag.Blob:
      return r.done(() => blobTag(r.string('f'), r.string('k')));
    case Tag.NullProto:
      return r.done(() => nullProtoTag(r.props('p')));
    default:
      return `it carries an unknown tag ${JSON.stringify(String(kind))} (two versions of isolated-call?)`;
  }
}

function readErrorTag(r: FieldReader): ErrorTag {
  const source = r.raw.r;
  if (source !== ErrorClassSource.Unknown && source !== ErrorClassSource.Registered && source !== ErrorClassSource.Builtin) {
    throw new BadField('r', 'a class source (0, 1 or 2)');
  }
  const s = r.raw.s;
  if (s !== undefined && typeof s !== 'string') throw new BadField('s', 'a string or absent');
  const tag: ErrorTag = { [TAG]: Tag.Error, id: r.string('id'), r: source, n: r.string('n'), m: r.string('m'), p: r.props('p') };
  const out: ErrorTag = s === undefined ? tag : { ...tag, s };
  if (r.raw.h !== undefined) out.h = r.strings('h');
  const cause = r.raw.c;
  if (cause !== undefined) {
    if (!Array.isArray(cause) || cause.length !== 1) throw new BadField('c', 'a one-element array');
    out.c = [cause[0]];
  }
  return out;
}

/** A field of the wrong type; caught by `done` and turned into a reason. */
class BadField {
  constructor(
    readonly key: string,
    readonly expected: string,
  ) {}
}

class FieldReader {
  constructor(
    readonly raw: Readonly<Record<string, unknown>>,
    private readonly kind: unknown,
  ) {}

  done(read: () => TagObject): TagObject | string {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof BadField)) throw error;
      return `it is a malformed "${String(this.kind)}" tag: its ${error.key} should be ${error.expected}, got ${describeWire(this.raw[error.key])}`;
    }
  }

  string(key: string): string {
    const value = this.raw[key];
    if (typeof value !== 'string') throw new BadField(key, 'a string');
    return value;
  }

  boolean(key: string): boolean {
    const value = this.raw[key];
    if (typeof value !== 'boolean') throw new BadField(key, 'a boolean');
    return value;
  }

  index(key: string): number {
    const value = this.raw[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new BadField(key, 'an index');
    return value;
  }

  props(key: string): EncodedProps {
    const value = this.raw[key];
    if (!isPlainRecord(value)) throw new BadField(key, 'a plain object');
    return value;
  }

  strings(key: string): string[] {
    const value = this.raw[key];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new BadField(key, 'an array of strings');
    return value;
  }

  entries(key: string): [string, unknown][] {
    const value = this.raw[key];
    if (!Array.isArray(value)) throw new BadField(key, 'an array of [key, value] pairs');
    const out: [string, unknown][] = [];
    for (const entry of value) {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') throw new BadField(key, 'an array of [key, value] pairs');
      out.push([entry[0], entry[1]]);
    }
    return out;
  }
}

/** A record as structured clone rebuilds one: Object.prototype (or none), no class. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describeWire(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return typeof value === 'bigint' ? `${value}n` : typeof value === 'undefined' ? 'nothing' : `${typeof value} ${String(value)}`;
}
