/**
 * The codec's wire format. Values travel as structured clone (Node's
 * 'advanced' IPC serialization), which already carries Date, RegExp, Map,
 * Set, BigInt, typed arrays, Buffer, ArrayBuffer, DataView, undefined, NaN,
 * -0, holes and cycles. What it can't carry (class instances, full errors,
 * symbols, URLs, custom types, AbortSignals) is replaced by a tag object: a
 * plain object whose TAG key says what it stands for.
 */

/** The key that marks a tag object. A NUL keeps it out of anyone's real data. */
export const TAG = '\u0000ic';

export const Tag = {
  /** Instance of a registered class: `{ id, p: own props }`. */
  Instance: 'c',
  /** Any Error: `{ id?, n: name, m: message, s: stack, p: props, h?: keys of p that aren't enumerable, c?: cause }`. */
  Error: 'e',
  /** A registered symbol: `{ k: key, g: true for Symbol.for() }`. */
  Symbol: 'y',
  /** A URL: `{ h: href }`. */
  Url: 'u',
  /** A value of a registerCustom() transformer: `{ n: name, v: JSON value }`. */
  Custom: 'x',
  /** An AbortSignal: `{ i: index among the call's signals, a: aborted }`. */
  Signal: 'a',
  /** A plain object that itself has the TAG key: `{ v: [key, value][] }`. */
  Escaped: 'o',
  /**
   * Large binary data or a large string sent beside the message (side-channel.ts):
   * `{ f: file, k: Buffer | ArrayBuffer | DataView | typed array name | 'string' }`.
   */
  Blob: 'b',
  /** An object with a null prototype: `{ p: props }`. */
  NullProto: 'n',
} as const;
export type Tag = (typeof Tag)[keyof typeof Tag];

/** An encoded value plus whether any tag is inside (if not, decoding is free). */
export interface Encoded {
  readonly v: unknown;
  readonly t: boolean;
  /** Files holding large payloads (Tag.Blob), for the sender to delete once the call is over. */
  readonly f?: readonly string[];
}

export type TagObject = { [TAG]: Tag } & Record<string, unknown>;

export function isTag(value: object): value is TagObject {
  return Object.prototype.hasOwnProperty.call(value, TAG);
}
