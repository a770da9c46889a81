import { ErrorClassSource, TAG, Tag, type TagObject } from './tags.js';
import { isPlainObject } from '../shared/plain-object.js';

/**
 * Checks a tag that came over the wire. The other side may be a child running
 * anything, so every field is checked against one table: a malformed tag
 * becomes one clear reason (the decoder turns it into a SerializationError
 * with the path), never a TypeError halfway through rebuilding. A valid tag
 * is used as it arrived: checking allocates nothing, which matters when a
 * result holds 100,000 instances.
 *
 * @param raw An object that has the TAG key.
 * @returns The same object, typed, or a string saying what is wrong with it.
 */
export function parseTag(raw: Record<string, unknown>): TagObject | string {
  return isValidTag(raw) ? raw : explain(raw);
}

/** A check of one field, and how to say what it should have been. */
interface FieldCheck {
  readonly test: (value: unknown) => boolean;
  readonly expected: string;
}

const string: FieldCheck = { test: (v) => typeof v === 'string', expected: 'a string' };
const boolean: FieldCheck = { test: (v) => typeof v === 'boolean', expected: 'a boolean' };
const anything: FieldCheck = { test: () => true, expected: 'anything' };
const index: FieldCheck = { test: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0, expected: 'an index' };
const props: FieldCheck = { test: isPlainRecord, expected: 'a plain object' };
const classSource: FieldCheck = {
  test: (v) => v === ErrorClassSource.Unknown || v === ErrorClassSource.Registered || v === ErrorClassSource.Builtin,
  expected: 'a class source (0, 1 or 2)',
};
const strings: FieldCheck = {
  test: (v) => everyElement(v, (item) => typeof item === 'string'),
  expected: 'an array of strings',
};
const box: FieldCheck = { test: (v) => Array.isArray(v) && v.length === 1, expected: 'a one-element array' };
const entries: FieldCheck = {
  test: (v) => everyElement(v, (entry) => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string'),
  expected: 'an array of [key, value] pairs',
};

/**
 * An array whose every element passes `test`; a hole fails. (`every` skips
 * holes by stepping through every index: a sparse array of length 2^32 - 1,
 * a few bytes on the wire, would keep the decoding side busy for minutes.)
 */
function everyElement(v: unknown, test: (item: unknown) => boolean): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!(i in v) || !test(v[i])) return false;
  return true;
}

/** May be absent (undefined); checked when present. */
function optional(check: FieldCheck): FieldCheck {
  return { test: (v) => v === undefined || check.test(v), expected: `${check.expected} or absent` };
}

/** Every tag's fields, by tag kind: the one description of the wire format the decoder trusts. */
const FIELDS: ReadonlyMap<unknown, ReadonlyArray<readonly [string, FieldCheck]>> = new Map<
  Tag,
  ReadonlyArray<readonly [string, FieldCheck]>
>([
  [
    Tag.Instance,
    [
      ['id', string],
      ['p', props],
    ],
  ],
  [
    Tag.Error,
    [
      ['id', string],
      ['r', classSource],
      ['n', string],
      ['m', string],
      ['s', optional(string)],
      ['p', props],
      ['h', optional(strings)],
      ['c', optional(box)],
    ],
  ],
  [
    Tag.Symbol,
    [
      ['k', string],
      ['g', boolean],
    ],
  ],
  [Tag.Url, [['h', string]]],
  [
    Tag.Custom,
    [
      ['n', string],
      ['v', anything],
    ],
  ],
  [Tag.Signal, [['i', index]]],
  [Tag.Escaped, [['v', entries]]],
  [
    Tag.Blob,
    [
      ['f', string],
      ['k', string],
    ],
  ],
  [Tag.NullProto, [['p', props]]],
  [
    Tag.LeftBehind,
    [
      ['w', string],
      ['r', string],
    ],
  ],
  [
    Tag.Callback,
    [
      ['i', index],
      ['n', string],
    ],
  ],
]);

function isValidTag(raw: Record<string, unknown>): raw is Record<string, unknown> & TagObject {
  const fields = FIELDS.get(raw[TAG]);
  if (fields === undefined) return false;
  for (const [key, check] of fields) if (!check.test(raw[key])) return false;
  return true;
}

function explain(raw: Record<string, unknown>): string {
  const kind = raw[TAG];
  const fields = FIELDS.get(kind);
  if (fields === undefined) return `it carries an unknown tag ${JSON.stringify(String(kind))} (two versions of isolated-call?)`;
  const [key, check] = fields.find(([k, c]) => !c.test(raw[k]))!;
  return `it is a malformed "${String(kind)}" tag: its ${key} should be ${check.expected}, got ${describeWire(raw[key])}`;
}

/** A record as structured clone rebuilds one: Object.prototype (or none), no class. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value);
}

function describeWire(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return typeof value === 'bigint' ? `${value}n` : typeof value === 'undefined' ? 'nothing' : `${typeof value} ${String(value)}`;
}
