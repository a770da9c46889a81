/**
 * The one gate for what a child sends. The child may be running a dependency
 * that is processing hostile data, so every field of its messages is checked
 * for type and range before the parent acts on any of it.
 */
import type { Encoded } from '../codec/tags.js';
import { isObjectPrototype } from '../shared/plain-object.js';
import { parseEncoded } from './parse-encoded.js';
import { describe, isId, isRecord, isText, own } from './field-checks.js';
import {
  FAILURE_PHASES,
  MARKER,
  MAX_TEXT_LENGTH,
  PROTOCOL_VERSION,
  type ChildCallStats,
  type ChildMessage,
  type FailurePhase,
} from './messages.js';
import { MAX_STREAM_BATCH } from './stream-messages.js';

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
  if (type === 'callback') return parseCallback(message);
  if (type === 'output') {
    const draining = own(message, 'draining');
    if (typeof draining !== 'boolean') return { kind: 'invalid', reason: `its draining ${describe(draining)} is not a boolean` };
    return { kind: 'message', message: { [MARKER]: PROTOCOL_VERSION, type, draining } };
  }
  if (type !== 'result' && type !== 'error' && type !== 'stream-items')
    return { kind: 'invalid', reason: `it has an unknown type ${describe(type)}` };

  const id = own(message, 'id');
  if (!isId(id)) return { kind: 'invalid', reason: `its id ${describe(id)} is not a positive safe integer` };
  const fail = (reason: string): ParsedChildMessage => ({ kind: 'invalid', reason: `${type} for call ${id}: ${reason}`, id });
  if (type === 'stream-items') return parseStreamItems(message, id, fail);

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

/** A batch of yielded values: 1 to MAX_STREAM_BATCH encoded values, each with its size estimate. */
function parseStreamItems(message: Record<string, unknown>, id: number, fail: (reason: string) => ParsedChildMessage): ParsedChildMessage {
  const items = own(message, 'items');
  const bytes = own(message, 'bytes');
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_STREAM_BATCH)
    return fail(`its items are not an array of 1 to ${MAX_STREAM_BATCH} values`);
  if (!Array.isArray(bytes) || bytes.length !== items.length) return fail('its bytes are not an array as long as its items');
  const values: Encoded[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const value = parseEncoded(items[i], `items[${i}]`);
    if (typeof value === 'string') return fail(value);
    const size: unknown = bytes[i];
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
      return fail(`its bytes[${i}] is ${describe(size)}, not a safe integer ≥ 0`);
    values.push(value);
    sizes.push(size);
  }
  return { kind: 'message', message: { [MARKER]: PROTOCOL_VERSION, type: 'stream-items', id, items: values, bytes: sizes } };
}

/**
 * A callback call (messages.ts). Whether the call passed a function with that
 * index is for the call's callback host to say: this checks the fields alone.
 */
function parseCallback(message: Record<string, unknown>): ParsedChildMessage {
  const id = own(message, 'id');
  if (!isId(id)) return { kind: 'invalid', reason: `its id ${describe(id)} is not a positive safe integer` };
  const fail = (reason: string): ParsedChildMessage => ({ kind: 'invalid', reason: `callback for call ${id}: ${reason}`, id });
  const callback = own(message, 'callback');
  if (typeof callback !== 'number' || !Number.isSafeInteger(callback) || callback < 0)
    return fail(`its callback ${describe(callback)} is not an index`);
  const seq = own(message, 'seq');
  if (!isId(seq)) return fail(`its seq ${describe(seq)} is not a positive safe integer`);
  const args = parseEncoded(own(message, 'args'), 'args');
  if (typeof args === 'string') return fail(args);
  return { kind: 'message', message: { [MARKER]: PROTOCOL_VERSION, type: 'callback', id, callback, seq, args } };
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
