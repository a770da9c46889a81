/**
 * The child's reading of what arrives on its channel. The parent is trusted,
 * so this checks only what the entry relies on to not crash; anything else on
 * the channel (the user's own traffic, another version) is left alone.
 */
import {
  MARKER,
  PROTOCOL_VERSION,
  type AbortMessage,
  type CallbackErrorMessage,
  type CallbackResultMessage,
  type CallMessage,
  type ParentMessage,
} from './messages.js';

/** Most AbortSignals a call may hold: the child makes a controller for each. */
const MAX_SIGNALS = 100_000;

/** A message from the parent, or undefined when it isn't one this child acts on. */
export function parseParentMessage(message: unknown): ParentMessage | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Record<string, unknown>;
  if (m[MARKER] !== PROTOCOL_VERSION || typeof m.id !== 'number') return undefined;
  if (m.type === 'call') return isCall(m) ? (message as CallMessage) : undefined;
  if (m.type === 'abort') return Number.isInteger(m.signal) ? (message as AbortMessage) : undefined;
  if (m.type === 'callback-result' || m.type === 'callback-error') {
    const ok = Number.isSafeInteger(m.seq) && isEncoded(m.type === 'callback-result' ? m.value : m.error);
    return ok ? (message as CallbackResultMessage | CallbackErrorMessage) : undefined;
  }
  return undefined;
}

function isCall(m: Record<string, unknown>): boolean {
  const target = m.target as Record<string, unknown> | null | undefined;
  return (
    typeof target === 'object' &&
    target !== null &&
    typeof target.module === 'string' &&
    typeof target.owner === 'string' &&
    isEncoded(m.args) &&
    (m.self === undefined || isEncoded(m.self)) &&
    typeof m.blobDir === 'string' &&
    Number.isInteger(m.signals) &&
    (m.signals as number) >= 0 &&
    (m.signals as number) <= MAX_SIGNALS
  );
}

function isEncoded(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { t?: unknown }).t === 'boolean';
}
