/**
 * Everything that crosses the IPC channel between parent and child. Types
 * only: the one runtime export is the guard, so both sides agree on the
 * shape without either importing the other's code.
 *
 * Messages travel over Node's `serialization: 'advanced'` channel (structured
 * clone), so payloads are the codec's output: plain data plus tagged nodes.
 */

/** Bumped whenever a message changes shape; a child of another SDK version is refused. */
export const PROTOCOL_VERSION = 1;

/** Child entry argument: load the SDK's builds while idle (standby children). */
export const PRELOAD_FLAG = '--isolated-call-preload';

/** Marker field present on every message of ours; anything else on the channel is ignored. */
export const MARKER = '__isolatedCall';

interface Base {
  readonly [MARKER]: typeof PROTOCOL_VERSION;
}

/** Where the child finds the code to run. */
export interface TargetRef {
  /** File URL of the module that defines the target. */
  readonly module: string;
  /** Class id (export name or registered identifier), or the function's id for `isolate()`. */
  readonly owner: string;
  /** Method name; absent for the function form. */
  readonly method?: string;
  readonly kind: 'instance' | 'static' | 'function';
}

/** Parent -> child: run one call. */
export interface CallMessage extends Base {
  readonly type: 'call';
  readonly id: number;
  readonly target: TargetRef;
  /** Encoded `this` state, or undefined when the method is declared not to need it. */
  readonly self: unknown;
  readonly args: unknown;
  /** Folder for a large result (see codec/side-channel.ts); the parent deletes what lands there. */
  readonly blobDir: string;
  /** How many AbortSignals the arguments hold; the child makes one live signal for each. */
  readonly signals: number;
  /** Leave the process after replying (the default, fresh-child mode). */
  readonly exitAfter: boolean;
  /**
   * Report the call's peak RSS. Reading it costs more than a whole warm
   * round trip, so it is asked for only when `onCallEnd` or `maxChildRss`
   * needs it; a warm child then resets the counter first.
   */
  readonly measure: boolean;
}

/** Parent -> child: an AbortSignal passed in the arguments fired. */
export interface AbortMessage extends Base {
  readonly type: 'abort';
  readonly id: number;
  /** Index of the signal among the call's signals, in encounter order. */
  readonly signal: number;
  readonly reason: unknown;
}

/** Child -> parent: the entry is up and listening. */
export interface ReadyMessage extends Base {
  readonly type: 'ready';
}

/** Measurements the child takes for one call. */
export interface ChildCallStats {
  /** Milliseconds spent importing the module and finding the target (0 when cached). */
  readonly loadMs: number;
  /** Milliseconds the method itself ran. */
  readonly runMs: number;
  /** Peak resident set size of the child during the call, in bytes. */
  readonly peakRss: number;
}

export interface ResultMessage extends Base {
  readonly type: 'result';
  readonly id: number;
  readonly value: unknown;
  readonly stats: ChildCallStats;
}

/** Where in the child a failure happened; decides which error the parent raises. */
export type FailurePhase = 'load' | 'decode' | 'run' | 'encode';

export interface ErrorMessage extends Base {
  readonly type: 'error';
  readonly id: number;
  readonly phase: FailurePhase;
  /** Encoded thrown value (an error tag, or any other encoded value). */
  readonly error: unknown;
  /** For 'decode'/'encode': where the value failed, e.g. `args[0].point`, and why. */
  readonly path?: string;
  readonly reason?: string;
  readonly stats: ChildCallStats;
}

export type ParentMessage = CallMessage | AbortMessage;
export type ChildMessage = ReadyMessage | ResultMessage | ErrorMessage;

/** Is this one of our messages? (A different version is detected separately.) */
export function isProtocolMessage(value: unknown): value is { [MARKER]: unknown; type: unknown } {
  return typeof value === 'object' && value !== null && MARKER in value;
}
