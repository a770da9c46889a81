/**
 * The codec's wire format. What structured clone carries (Date, RegExp, Map,
 * Set, BigInt, typed arrays, Buffer, ArrayBuffer, DataView, undefined, NaN,
 * -0, holes and cycles) goes as it is: as JSON when JSON carries it
 * exactly, else V8-serialized (protocol/wire-value.ts). What it can't carry
 * (class instances, full errors, symbols, URLs, custom types, AbortSignals)
 * is replaced by a tag object: a plain object whose TAG key says what it
 * stands for.
 *
 * Each tag has an interface here and a constructor, so the encoder can't
 * build a tag with a field missing; the decoder reads tags only through
 * `parseTag` (parse-tag.ts), because the other side may be a child that sends
 * anything.
 */

/** The key that marks a tag object. A NUL keeps it out of anyone's real data. */
export const TAG = '\u0000ic';

/** The value of the TAG key, one per kind of tag. */
export const Tag = {
  Instance: 'c',
  Error: 'e',
  Symbol: 'y',
  Url: 'u',
  Custom: 'x',
  Signal: 'a',
  Escaped: 'o',
  Blob: 'b',
  NullProto: 'n',
  LeftBehind: 'l',
  Callback: 'f',
} as const;
export type Tag = (typeof Tag)[keyof typeof Tag];

/** What every tag has: the TAG key, saying which kind it is. */
interface Marked<K extends Tag> {
  readonly [TAG]: K;
}

/** Own properties of a rebuilt object, already encoded. */
export type EncodedProps = Record<string, unknown>;

/** Instance of a registered class. */
export interface InstanceTag extends Marked<typeof Tag.Instance> {
  /** The id the class is registered under on both sides. */
  readonly id: string;
  readonly p: EncodedProps;
}

/** How the receiver finds an error's class (the error tag's `r`). */
export const ErrorClassSource = {
  /** Neither registered nor built in: the receiver may still find it among the target module's exports. */
  Unknown: 0,
  /** Registered under `id` with registerClass(). */
  Registered: 1,
  /** A built-in error class (TypeError...), named by `id`. */
  Builtin: 2,
} as const;
export type ErrorClassSource = (typeof ErrorClassSource)[keyof typeof ErrorClassSource];

/** Any Error, with its class, stack, cause and own properties. */
export interface ErrorTag extends Marked<typeof Tag.Error> {
  /** The registered id, or the constructor's name. */
  readonly id: string;
  readonly r: ErrorClassSource;
  /** name, message, stack */
  readonly n: string;
  readonly m: string;
  readonly s?: string;
  readonly p: EncodedProps;
  /** Keys of `p` that weren't enumerable (AggregateError's `errors`). */
  h?: string[];
  /** The cause, boxed: `undefined` is a cause too. */
  c?: [unknown];
}

/** A symbol from Symbol.for() (`g`) or registered with registerSymbol(). */
export interface SymbolTag extends Marked<typeof Tag.Symbol> {
  readonly k: string;
  readonly g: boolean;
}

/** A URL, by its href. */
export interface UrlTag extends Marked<typeof Tag.Url> {
  readonly h: string;
}

/** A value of a registerCustom() transformer: its name and serialized form. */
export interface CustomTag extends Marked<typeof Tag.Custom> {
  readonly n: string;
  readonly v: unknown;
}

/** An AbortSignal: its index among the call's signals (the child gets a live one). */
export interface SignalTag extends Marked<typeof Tag.Signal> {
  readonly i: number;
}

/** A plain object that itself has the TAG key, as its entries. */
export interface EscapedTag extends Marked<typeof Tag.Escaped> {
  readonly v: [string, unknown][];
}

/**
 * Large binary data or a large string sent beside the message
 * (blobs.ts): the file and what to rebuild from it.
 */
export interface BlobTag extends Marked<typeof Tag.Blob> {
  readonly f: string;
  /** `string`, `Buffer`, `ArrayBuffer`, `DataView` or a typed array's name. */
  readonly k: string;
}

/** An object with a null prototype. */
export interface NullProtoTag extends Marked<typeof Tag.NullProto> {
  readonly p: EncodedProps;
}

/**
 * A field of `this` whose value can't cross (an unregistered service, a
 * logger, a function, a socket), left in the parent. Only ever the value of
 * one of the root instance's own fields: the child defines an accessor there
 * that throws when the method reads it (left-behind-field.ts), so a method that
 * doesn't use the field runs, and one that does gets an error naming it.
 */
export interface LeftBehindTag extends Marked<typeof Tag.LeftBehind> {
  /** Path of the value that couldn't cross: the field (`this.config`) or something inside it (`this.options.onProgress`). */
  readonly w: string;
  /** Why it couldn't, as a SerializationError's reason. */
  readonly r: string;
}

/**
 * A function of the call's arguments: its index among them (the child gets a
 * stub that calls it back in the parent, callback-tag.ts) and its name, for
 * the stub's `name`.
 */
export interface CallbackTag extends Marked<typeof Tag.Callback> {
  readonly i: number;
  readonly n: string;
}

/** Any tag, discriminated by its TAG key. */
export type TagObject =
  | InstanceTag
  | ErrorTag
  | SymbolTag
  | UrlTag
  | CustomTag
  | SignalTag
  | EscapedTag
  | BlobTag
  | NullProtoTag
  | LeftBehindTag
  | CallbackTag;

export type { Encoded } from '../contracts/encoded.js';

export const instanceTag = (id: string, p: EncodedProps): InstanceTag => ({ [TAG]: Tag.Instance, id, p });
export const symbolTag = (k: string, g: boolean): SymbolTag => ({ [TAG]: Tag.Symbol, k, g });
export const urlTag = (h: string): UrlTag => ({ [TAG]: Tag.Url, h });
export const customTag = (n: string, v: unknown): CustomTag => ({ [TAG]: Tag.Custom, n, v });
export const signalTag = (i: number): SignalTag => ({ [TAG]: Tag.Signal, i });
export const escapedTag = (v: [string, unknown][]): EscapedTag => ({ [TAG]: Tag.Escaped, v });
export const blobTag = (f: string, k: string): BlobTag => ({ [TAG]: Tag.Blob, f, k });
export const nullProtoTag = (p: EncodedProps): NullProtoTag => ({ [TAG]: Tag.NullProto, p });
export const leftBehindTag = (w: string, r: string): LeftBehindTag => ({ [TAG]: Tag.LeftBehind, w, r });
export const callbackTag = (i: number, n: string): CallbackTag => ({ [TAG]: Tag.Callback, i, n });

/** An error tag without `h` and `c`, which the encoder adds as it walks the error's properties. */
export function errorTag(fields: Omit<ErrorTag, typeof TAG | 'h' | 'c'>): ErrorTag {
  const tag: ErrorTag = { [TAG]: Tag.Error, id: fields.id, r: fields.r, n: fields.n, m: fields.m, p: fields.p };
  // Left out when absent: an `s: undefined` would still cost a key on the wire.
  return fields.s === undefined ? tag : { ...tag, s: fields.s };
}

/** Does this object carry the TAG key (a tag on the wire, or user data to escape)? */
export function hasTagKey(value: object): boolean {
  return Object.hasOwn(value, TAG);
}
