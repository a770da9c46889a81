/**
 * The constructors of the messages of messages.ts: the marker and version
 * are written here only, so no message can go out without them, and each
 * payload is packed for the wire here (wire-value.ts).
 */
import type { Encoded } from '../codec/tags.js';
import {
  MARKER,
  MAX_TEXT_LENGTH,
  PROTOCOL_VERSION,
  type AbortMessage,
  type CallbackErrorMessage,
  type CallbackMessage,
  type CallbackResultMessage,
  type CallMessage,
  type ChildCallStats,
  type ErrorMessage,
  type ReadyMessage,
  type ResultMessage,
} from './messages.js';
import { packEncoded } from './wire-value.js';

/** What the parent fills in per call: everything but the marker and the folder. */
export type CallFields = Omit<CallMessage, typeof MARKER | 'type' | 'blobDir'>;

/** A call message; `blobDir` is the parent's payload folder, from `blobDirectory()`. */
export function callMessage(fields: CallFields, blobDir: string): CallMessage {
  const { args, self } = fields;
  return {
    [MARKER]: PROTOCOL_VERSION,
    type: 'call',
    ...fields,
    args: packEncoded(args),
    self: self === undefined ? undefined : packEncoded(self),
    blobDir,
  };
}

/** An abort message for signal number `signal` of call `id`. */
export function abortMessage(id: number, signal: number, reason: Encoded): AbortMessage {
  return { [MARKER]: PROTOCOL_VERSION, type: 'abort', id, signal, reason: packEncoded(reason) };
}

/** The child's first message. */
export function readyMessage(): ReadyMessage {
  return { [MARKER]: PROTOCOL_VERSION, type: 'ready' };
}

/** A successful reply. */
export function resultMessage(id: number, value: Encoded, stats: ChildCallStats): ResultMessage {
  return { [MARKER]: PROTOCOL_VERSION, type: 'result', id, value: packEncoded(value), stats };
}

/** The child calls back the function `callback` of call `id`. */
export function callbackMessage(id: number, callback: number, seq: number, args: Encoded): CallbackMessage {
  return { [MARKER]: PROTOCOL_VERSION, type: 'callback', id, callback, seq, args: packEncoded(args) };
}

/** What the function behind callback call `seq` of call `id` returned. */
export function callbackResultMessage(id: number, seq: number, value: Encoded): CallbackResultMessage {
  return { [MARKER]: PROTOCOL_VERSION, type: 'callback-result', id, seq, value: packEncoded(value) };
}

/** What the function behind callback call `seq` of call `id` threw. */
export function callbackErrorMessage(id: number, seq: number, error: Encoded): CallbackErrorMessage {
  return { [MARKER]: PROTOCOL_VERSION, type: 'callback-error', id, seq, error: packEncoded(error) };
}

/** A failed reply; `path` and `reason` are clipped to MAX_TEXT_LENGTH. */
export function errorMessage(fields: Omit<ErrorMessage, typeof MARKER | 'type'>): ErrorMessage {
  const { path, reason, error, ...rest } = fields;
  return {
    [MARKER]: PROTOCOL_VERSION,
    type: 'error',
    ...rest,
    error: packEncoded(error),
    ...(path === undefined ? {} : { path: clip(path) }),
    ...(reason === undefined ? {} : { reason: clip(reason) }),
  };
}

function clip(text: string): string {
  return text.length <= MAX_TEXT_LENGTH ? text : `${text.slice(0, MAX_TEXT_LENGTH - 1)}…`;
}
