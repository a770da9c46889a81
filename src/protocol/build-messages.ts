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
  type TargetRef,
} from './messages.js';
import type { StreamLimits } from './stream-messages.js';
import { packEncoded } from './wire-value.js';

/** What the parent fills in per call. */
export interface CallFields {
  readonly id: number;
  readonly targetId: number;
  readonly target: TargetRef;
  readonly self: Encoded | undefined;
  readonly args: Encoded;
  readonly signals: number;
  readonly exitAfter: boolean;
  readonly measure: boolean;
  /** The child may delete the argument files once opened (no retry will read them). */
  readonly consumeArgs: boolean;
  readonly stream?: StreamLimits | undefined;
}

/** What the parent has told one child already (parent/children/child-sender.ts). */
export interface ChannelMemory {
  knowsTarget(targetId: number): boolean;
  /** The folder the last call sent on this channel named; undefined before the first. */
  readonly blobDir: string | undefined;
}

/**
 * A call message for the child behind `channel`; `blobDir` is the parent's
 * blob folder, from `blobDirectory()` ('' for none). What the child has
 * been told already and flags that aren't set stay out of the message.
 */
export function callMessage(fields: CallFields, blobDir: string, channel: ChannelMemory): CallMessage {
  const { id, targetId, target, self, args, signals, exitAfter, measure, consumeArgs, stream } = fields;
  const message: Mutable<CallMessage> = { [MARKER]: PROTOCOL_VERSION, type: 'call', id, targetId, args: packEncoded(args) };
  if (!channel.knowsTarget(targetId)) message.target = target;
  if (self !== undefined) message.self = packEncoded(self);
  if (channel.blobDir !== blobDir) message.blobDir = blobDir;
  if (!consumeArgs) message.retainArgs = true;
  if (signals > 0) message.signals = signals;
  if (exitAfter) message.exitAfter = true;
  if (measure) message.measure = true;
  if (stream) message.stream = stream;
  return message;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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
