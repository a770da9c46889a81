/**
 * The one gate for what a child sends. The child may be running a dependency
 * that is processing hostile data, so every field of its messages is checked
 * for type and range before the parent acts on any of it.
 */
import type { Encoded } from '../codec/tags.js';
import { isObjectPrototype } from '../shared/realm.js';
import { unpackValue } from './wire-value.js';
import {
  FAILURE_PHASES,
  MARKER,
  MAX_TEXT_LENGTH,
  PROTOCOL_VERSION,
  type ChildCallStats,
  type ChildMessage,
  type FailurePhase,
} from './messages.js';

/** Most payload files one reply may name. */
export const MAX_REPLY_FILES = 65_536;
/** Longest payload file path a reply may name. */
export const MAX_FILE_PATH_LENGTH = 4096;

/** What `parseChildMessage` makes of a message. */
export type ParsedChildMessage =
  /** One of ours, every field checked. */
  | { readonly kind: 'message'; readonly message: ChildMessage }
  /** No marker: someone else's traffic on the channel (the user's own `process.send`). */
  | { readonly kind: 'foreign' }
  /**
   * Marked as ours but not valid. `id` is set when the message names a call
   * by a usable id (a reply whose other fields are wrong): only that call
   * fails. Otherwise every call of the child does. `otherVersion`: the
   * marker carries another protocol version (two installed SDK copies).
   */
  | { readonly kind: 'invalid'; readonly reason: string; readonly id?: number; readonly otherVersion?: true };

/** Validates a message from a child. Never throws. */
export function parseChildMessage(message: unknown): ParsedChildMessage {
  try {
    return parse(message);
  } catch (error) {
    // Nothing above should throw on parsed JSON; if it does, the message is still not one to act on.
    return { kind: 'invalid', reason: `it could not be read (${String(error)})` };
  }
}

function parse(message: unknown): ParsedChildMessage {
  if (!isRecord(message) || !Object.hasOwn(message, MARKER)) return { kind: 'foreign' };
  const version = message[MARKER];
  if (version !== PROTOCOL_VERSION) {
    return {
      kind: 'invalid',
      reason: `it speaks isolated-call protocol ${describe(version)}, this parent speaks ${PROTOCOL_VERSION}`,
      otherVersion: true,
    };
  }
  if (!isObjectPrototype(Object.getPrototypeOf(message))) return { kind: 'invalid', reason: 'it is not a plain object' };
  const type = own(message, 'type');
  if (type === 'ready') return { kind: 'message', message: { [MARKER]: PROTOCOL_VERSION, type } };
  if (type !== 'result' && type !== 'error') return { kind: 'invalid', reason: `it has an unknown type ${describe(type)}` };

  const id = own(message, 'id');
  if (!isId(id)) return { kind: 'invalid', reason: `its id ${describe(id)} is not a positive safe integer` };
  const fail = (reason: string): ParsedChildMessage => ({ kind: 'invalid', reason: `${type} for call ${id}: ${reason}`, id });

  const stats = parseStats(own(message, 'stats'));
  if (typeof stats === 'string') return fail(stats);
  if (type === 'result') {
    const value = parseEncoded(own(message, 'value'), 'value');
    if (typeof value === 'string') return fail(value);
    return { kind: 'message', message: { [MARKER]: PROTOCOL_VERSION, type, id, value, stats } };
  }

  const phase = own(message, 'phase');
  if (!FAILURE_PHASES.includes(phase as FailurePhase))
    return fail(`its phase ${describe(phase)} is not one of ${FAILURE_PHASES.join(', ')}`);
  const error = parseEncoded(own(message, 'error'), 'error');
  if (typeof error === 'string') return fail(error);
  const path = own(message, 'path');
  const reason = own(message, 'reason');
  for (const [name, text] of [
    ['path', path],
    ['reason', reason],
  ] as const) {
    if (text !== undefined && !isText(text, MAX_TEXT_LENGTH))
      return fail(`its ${name} is not a string of at most ${MAX_TEXT_LENGTH} characters`);
  }
  return {
    kind: 'message',
    message: {
      [MARKER]: PROTOCOL_VERSION,
      type,
      id,
      phase: phase as FailurePhase,
      error,
      stats,
      ...(path === undefined ? {} : { path: path as string }),
      ...(reason === undefined ? {} : { reason: reason as string }),
    },
  };
}

/** The stats of a reply, or why they are unusable. */
function parseStats(stats: unknown): ChildCallStats | string {
  if (!isRecord(stats)) return `its stats are ${describe(stats)}, not an object`;
  const loadMs = own(stats, 'loadMs');
  const runMs = own(stats, 'runMs');
  const peakRss = own(stats, 'peakRss');
  for (const [name, n] of [
    ['loadMs', loadMs],
    ['runMs', runMs],
    ['peakRss', peakRss],
  ] as const) {
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return `its stats.${name} is ${describe(n)}, not a finite number ≥ 0`;
  }
  return { loadMs: loadMs as number, runMs: runMs as number, peakRss: peakRss as number };
}

/**
 * The envelope of an encoded value: `{ v, t: boolean, f?: string[], p?: true }`,
 * its value unpacked when `p` says it is (wire-value.ts). The tree under `v`
 * is the decoder's to check; the file list is checked against the parent's
 * folder before anything is read or deleted (side-channel.ts).
 */
function parseEncoded(encoded: unknown, name: string): Encoded | string {
  if (!isRecord(encoded) || !isObjectPrototype(Object.getPrototypeOf(encoded)))
    return `its ${name} is ${describe(encoded)}, not an encoded value`;
  if (!Object.hasOwn(encoded, 'v')) return `its ${name} has no v`;
  const t = own(encoded, 't');
  if (typeof t !== 'boolean') return `its ${name}.t is ${describe(t)}, not a boolean`;
  const p = own(encoded, 'p');
  if (p !== undefined && p !== true) return `its ${name}.p is ${describe(p)}, not true`;
  let v: unknown;
  try {
    v = unpackValue(encoded.v, p === true);
  } catch (error) {
    return `its ${name}.v is not a packed value (${String(error)})`;
  }
  const f = own(encoded, 'f');
  if (f === undefined) return { v, t };
  if (!Array.isArray(f) || f.length > MAX_REPLY_FILES) return `its ${name}.f is not an array of at most ${MAX_REPLY_FILES} file names`;
  const files: string[] = [];
  for (let i = 0; i < f.length; i++) {
    const file: unknown = f[i];
    if (!isText(file, MAX_FILE_PATH_LENGTH) || file.length === 0)
      return `its ${name}.f[${i}] is not a file path of 1 to ${MAX_FILE_PATH_LENGTH} characters`;
    files.push(file);
  }
  return { v, t, f: files };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: nothing on a prototype can stand in for a missing field. */
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isId(id: unknown): id is number {
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0;
}

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

/** A short, safe rendering of a field for an error message. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === undefined || value === null) {
    return typeof value === 'bigint' ? `${value}n` : String(value);
  }
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
