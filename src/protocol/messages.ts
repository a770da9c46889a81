/**
 * Everything that crosses the IPC channel between parent and child: the
 * marker, the version and each message's shape. The constructors that
 * build them are in build-messages.ts.
 *
 * Messages travel over Node's 'json' IPC channel. Payloads are the codec's
 * output (plain data plus tagged nodes), each in an envelope that the
 * constructors pack for the wire (wire-value.ts): as JSON when JSON
 * carries it exactly, else V8-serialized.
 */
import type { Encoded } from '../contracts/encoded.js';
import type { TargetRef } from '../contracts/target-ref.js';
import type { OutputMessage } from './output-messages.js';
import type { StreamCreditMessage, StreamItemsMessage, StreamLimits, StreamReturnMessage } from './stream-messages.js';
import { MARKER, type PROTOCOL_VERSION } from './version.js';

export { MARKER, PROTOCOL_VERSION } from './version.js';

/** Child entry argument: load the SDK's builds while idle (standby children). */
export const PRELOAD_FLAG = '--isolated-call-preload';

interface Base {
  readonly [MARKER]: typeof PROTOCOL_VERSION;
}

export type { TargetRef } from '../contracts/target-ref.js';

/**
 * Parent -> child: run one call. Small on the wire, since a warm round trip
 * pays for every byte twice (JSON on each side): what the child was sent
 * before on this channel (the target, the folder) is not sent again, and a
 * flag is present only when set.
 */
export interface CallMessage extends Base {
  readonly type: 'call';
  /** Positive safe integer, unique in the parent's lifetime; the reply carries it back. */
  readonly id: number;
  /** The parent's number for the target, the same for every call of it. */
  readonly targetId: number;
  /** Where the child finds the code to run: sent until the child has it under `targetId`. */
  readonly target?: TargetRef;
  /** Encoded `this` state, or undefined when the method is declared not to need it. */
  readonly self?: Encoded | undefined;
  readonly args: Encoded;
  /**
   * The parent's folder for large payloads (codec/blob-folder.ts). The child
   * writes a large result there, as `<its pid>-<16 random hex>`, and nowhere else.
   * Empty for a call from another machine (a BullMQ job): then every part
   * travels inside the messages, and the child reads no file a tag names.
   * Absent: the folder of the last call that named one on this channel.
   */
  readonly blobDir?: string;
  /**
   * Set when a retry may read the argument files (of `args` and `self`)
   * again. Otherwise the child deletes them as soon as it has opened them,
   * which keeps a parent killed by a signal from leaving the arguments of
   * running calls behind.
   */
  readonly retainArgs?: true;
  /** How many AbortSignals the arguments hold (absent: none); the child makes one live signal for each. */
  readonly signals?: number;
  /** Leave the process after replying (the default, fresh-child mode). */
  readonly exitAfter?: true;
  /**
   * Report the call's peak RSS. Reading it costs more than a whole warm
   * round trip, so it is asked for only when `onCallEnd` or `maxChildRss`
   * needs it; a warm child then resets the counter first.
   */
  readonly measure?: true;
  /**
   * Set when the target is an async generator function: the child drives it,
   * sending what it yields in `stream-items` messages within these limits
   * (stream-messages.ts), then replies with the generator's return value.
   */
  readonly stream?: StreamLimits;
}

/** A call as the child runs it, with what earlier messages on its channel said filled in (child/resolve-call.ts). */
export interface ResolvedCall extends CallMessage {
  readonly target: TargetRef;
  readonly blobDir: string;
}

/** Parent -> child: an AbortSignal passed in the arguments fired. */
export interface AbortMessage extends Base {
  readonly type: 'abort';
  readonly id: number;
  /** Index of the signal among the call's signals, in encounter order. */
  readonly signal: number;
  /** The encoded abort reason. */
  readonly reason: Encoded;
}

/** Child -> parent: the entry is up and listening. */
export interface ReadyMessage extends Base {
  readonly type: 'ready';
}

/** Measurements the child takes for one call; every field a finite number ≥ 0. */
export interface ChildCallStats {
  /** Milliseconds spent importing the module and finding the target (0 when cached). */
  readonly loadMs: number;
  /** Milliseconds the method itself ran. */
  readonly runMs: number;
  /** Peak resident set size of the child during the call, in bytes (0 when not measured). */
  readonly peakRss: number;
}

/** Child -> parent: the call returned. */
export interface ResultMessage extends Base {
  readonly type: 'result';
  readonly id: number;
  /** The encoded return value; `f` lists the child's files of large parts. */
  readonly value: Encoded;
  readonly stats: ChildCallStats;
}

/** Where in the child a failure happened; decides which error the parent raises. */
export type FailurePhase = 'load' | 'decode' | 'run' | 'encode';

/** The phases, for validation. */
export const FAILURE_PHASES: readonly FailurePhase[] = ['load', 'decode', 'run', 'encode'];

/** Child -> parent: the call failed. */
export interface ErrorMessage extends Base {
  readonly type: 'error';
  readonly id: number;
  readonly phase: FailurePhase;
  /** Encoded thrown value (an error tag, or any other encoded value); always inline. */
  readonly error: Encoded;
  /** For 'decode'/'encode': where the value failed, e.g. `args[0].point`. At most MAX_TEXT_LENGTH characters. */
  readonly path?: string;
  /** For 'decode'/'encode': why. At most MAX_TEXT_LENGTH characters. */
  readonly reason?: string;
  readonly stats: ChildCallStats;
}

/**
 * Child -> parent: the method called the stub of a function passed in the
 * call's arguments (codec/callback-tag.ts). The parent runs the function and
 * answers with a callback-result or callback-error carrying the same `seq`.
 */
export interface CallbackMessage extends Base {
  readonly type: 'callback';
  /** The call's id. */
  readonly id: number;
  /** Index of the function among the call's functions, as the parent numbered them. */
  readonly callback: number;
  /** Positive safe integer, counting this call's callback calls from 1. */
  readonly seq: number;
  /** The encoded arguments of the stub's call (an array); `f` lists the child's files of large parts. */
  readonly args: Encoded;
}

/** Parent -> child: the function behind a stub returned. */
export interface CallbackResultMessage extends Base {
  readonly type: 'callback-result';
  readonly id: number;
  readonly seq: number;
  readonly value: Encoded;
}

/** Parent -> child: the function behind a stub threw (or its arguments or result could not cross). */
export interface CallbackErrorMessage extends Base {
  readonly type: 'callback-error';
  readonly id: number;
  readonly seq: number;
  /** Encoded thrown value; always inline. */
  readonly error: Encoded;
}

/** What the parent sends. */
export type ParentMessage =
  | CallMessage
  | AbortMessage
  | CallbackResultMessage
  | CallbackErrorMessage
  | StreamCreditMessage
  | StreamReturnMessage;
/** What a well-behaved child sends; anything a child sends is checked by parseChildMessage first. */
export type ChildMessage = ReadyMessage | ResultMessage | ErrorMessage | CallbackMessage | StreamItemsMessage | OutputMessage;

/** Longest `path` or `reason` a child may send; the child clips its own to this. */
export const MAX_TEXT_LENGTH = 64 * 1024;
