/**
 * The child's reading of what arrives on its channel. The parent is trusted,
 * so this checks only what the entry relies on to not crash; anything else on
 * the channel (the user's own traffic, another version) is left alone.
 */
import type { Encoded } from '../codec/tags.js';
import {
  MARKER,
  PROTOCOL_VERSION,
  type AbortMessage,
  type CallbackErrorMessage,
  type CallbackResultMessage,
  type CallMessage,
  type ParentMessage,
} from './messages.js';
import type { StreamCreditMessage, StreamReturnMessage } from './stream-messages.js';
import { unpackValue } from './wire-value.js';

/** Most AbortSignals a call may hold: the child makes a controller for each. */
const MAX_SIGNALS = 100_000;

/** A message from the parent, or undefined when it isn't one this child acts on. */
export function parseParentMessage(message: unknown): ParentMessage | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Record<string, unknown>;
  if (m[MARKER] !== PROTOCOL_VERSION || typeof m.id !== 'number') return undefined;
  if (m.type === 'call') {
    if (!isCall(m)) return undefined;
    const call = message as CallMessage;
    // Plain arguments, the common warm case: the message as it came, no copy.
    if (call.args.p !== true && call.self?.p !== true) return call;
    return { ...call, args: unpack(call.args), self: call.self === undefined ? undefined : unpack(call.self) };
  }
  if (m.type === 'abort') {
    if (!Number.isInteger(m.signal) || !isEncoded(m.reason)) return undefined;
    const abort = message as AbortMessage;
    return { ...abort, reason: unpack(abort.reason) };
  }
  if (m.type === 'callback-result') {
    if (!Number.isSafeInteger(m.seq) || !isEncoded(m.value)) return undefined;
    const answer = message as CallbackResultMessage;
    return { ...answer, value: unpack(answer.value) };
  }
  if (m.type === 'callback-error') {
    if (!Number.isSafeInteger(m.seq) || !isEncoded(m.error)) return undefined;
    const answer = message as CallbackErrorMessage;
    return { ...answer, error: unpack(answer.error) };
  }
  if (m.type === 'stream-credit') return isCount(m.items) && isCount(m.bytes) ? (message as StreamCreditMessage) : undefined;
  if (m.type === 'stream-return') return message as StreamReturnMessage;
  return undefined;
}

/** The envelope with its value as sent (wire-value.ts). */
function unpack(encoded: Encoded): Encoded {
  if (encoded.p !== true) return encoded; // a packed file is read as the value is decoded
  const v = unpackValue(encoded.v, true);
  return encoded.f === undefined ? { v, t: encoded.t } : { v, t: encoded.t, f: encoded.f };
}

function isCall(m: Record<string, unknown>): boolean {
  const target = m.target as Record<string, unknown> | null | undefined;
  const { signals } = m;
  return (
    Number.isSafeInteger(m.targetId) &&
    (target === undefined ||
      (typeof target === 'object' && target !== null && typeof target.module === 'string' && typeof target.owner === 'string')) &&
    isEncoded(m.args) &&
    (m.self === undefined || isEncoded(m.self)) &&
    (m.blobDir === undefined || typeof m.blobDir === 'string') &&
    (signals === undefined || (Number.isInteger(signals) && (signals as number) >= 0 && (signals as number) <= MAX_SIGNALS)) &&
    (m.stream === undefined || isLimits(m.stream))
  );
}

function isEncoded(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { t?: unknown }).t === 'boolean';
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isLimits(value: unknown): boolean {
  const limits = value as Record<string, unknown> | null;
  return typeof limits === 'object' && limits !== null && isCount(limits.items) && isCount(limits.bytes);
}
