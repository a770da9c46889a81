import type { ErrorBoundsCheck, ErrorBudget } from './error-bounds.js';
import type { PathKey, ValuePath } from './value-path.js';

// The tag helpers (encode-tags.ts, encode-error.ts, rebuild-tag.ts,
// callback-tag.ts) take the walk that called them through these interfaces,
// not the Encoder and Decoder classes, which import the helpers.

/** What a tag helper uses of the encoding walk (encoder.ts). */
export interface EncodeContext {
  /** Where the walk is, for error messages. */
  readonly path: ValuePath;
  /** Blob files written for this value. */
  readonly files: string[];
  readonly signals: AbortSignal[] | undefined;
  readonly blobDir: string | undefined;
  readonly leftBehind?: string[];
  readonly errorBudget?: ErrorBudget;
  at(key: PathKey, value: unknown): unknown;
  atProperty(obj: object, key: string): unknown;
  read(obj: object, key: string): unknown;
  fail(value: unknown, reason?: string, cause?: unknown): never;
  remember<T>(obj: object, out: T): T;
  props<T extends object>(obj: object, out: T, only?: readonly string[]): T;
  /** Each object met, with its copy (in the order met). */
  readonly memo: Map<object, unknown>;
}

/** What a tag helper uses of the decoding walk (decoder.ts). */
export interface DecodeContext {
  readonly path: ValuePath;
  readonly hooks: DecodeHooks;
  /** Counts the errors of a thrown value against the bounds its sender keeps (hooks.errorBounds). */
  readonly errorCheck: ErrorBoundsCheck | undefined;
  at(key: PathKey, value: unknown): unknown;
  fail(reason: string, cause?: unknown): never;
  malformed(reason: string): never;
  remember<T>(tag: object, out: T): T;
}

/** What the decoding side provides; the codec itself holds no process state. */
export interface DecodeHooks {
  /** Live signals to hand out for signal tags (child side). */
  readonly signals?: readonly AbortSignal[];
  /** Finds an error class the registry doesn't know, e.g. among the target module's exports. */
  readonly findErrorClass?: (name: string) => Function | undefined;
  /**
   * Reads a large payload the other side wrote beside the message (blobs.ts):
   * a string when `asString`, else the bytes. Without it, large data is refused.
   * May throw an IsolatedCallError (a ProtocolError, say), which decode passes on unchanged.
   */
  readonly readBlob?: (file: string, asString: boolean) => Buffer | string;
  /**
   * Makes the error for a value the other side's codec never produces (a
   * malformed or unknown tag). Default: a SerializationError. The parent
   * makes it a ProtocolError: a child that sends one broke the protocol.
   */
  readonly malformed?: (path: string, reason: string) => Error;
  /**
   * The stub for a function of the arguments (child side, callback-tag.ts):
   * its index, the path it was found at (`args[1].onProgress`) and its name.
   */
  readonly callback?: (index: number, path: string, name: string) => Function;
  /** Where this side is, for messages: `the child` or `the parent`. */
  readonly side: string;
  /**
   * The value was thrown, so the sender cut it to the bounds of
   * error-bounds.ts: one over them is malformed (refused before its errors are built).
   */
  readonly errorBounds?: boolean;
}
