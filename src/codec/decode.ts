import { IsolatedCallError } from '../errors/isolated-call-error.js';
import { SerializationError } from '../errors/serialization-error.js';
import { builtin } from '../shared/builtin.js';
import { Decoder } from './decoder.js';
import type { Encoded } from './tags.js';

/** What the decoding side provides; the codec itself holds no process state. */
export interface DecodeHooks {
  /** Live signals to hand out for signal tags (child side). */
  readonly signals?: readonly AbortSignal[];
  /** Finds an error class the registry doesn't know, e.g. among the target module's exports. */
  readonly findErrorClass?: (name: string) => Function | undefined;
  /**
   * Reads a large payload the other side wrote beside the message (side-channel.ts):
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

/**
 * Rebuilds a value produced by `encode`. The tree came fresh out of
 * structured clone and belongs to nobody else, so tags are replaced in place.
 * The other side may be a child running anything: every tag is checked, and
 * a malformed one fails like an unknown one.
 *
 * @throws SerializationError naming the path of a tag this side can't rebuild.
 */
export function decode(encoded: Encoded, root: string, hooks: DecodeHooks): unknown {
  const v = encoded.p === 'file' ? readPacked(encoded.v, root, hooks) : encoded.v;
  if (!encoded.t) return v;
  const decoder = new Decoder(root, hooks);
  try {
    return decoder.decode(v);
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new SerializationError(
        String(decoder.path),
        `it is nested too deeply to rebuild (${decoder.path.depth} levels when the stack ran out)`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * The value of a packed payload file (protocol/wire-value.ts): the V8 bytes
 * the other side wrote beside the message, read through `readBlob`, which
 * checks the file as it checks every large part.
 */
function readPacked(file: unknown, root: string, hooks: DecodeHooks): unknown {
  const malformed = (reason: string, cause?: unknown) =>
    hooks.malformed?.(root, reason) ?? new SerializationError(root, reason, cause === undefined ? undefined : { cause });
  if (typeof file !== 'string') throw malformed(`its packed value names ${typeof file}, not a payload file`);
  if (!hooks.readBlob) throw malformed('it was sent beside the message, but large data is not expected here');
  const bytes = hooks.readBlob(file, false);
  try {
    return builtin<typeof import('node:v8')>('node:v8').deserialize(bytes as Buffer);
  } catch (error) {
    if (error instanceof IsolatedCallError) throw error;
    throw malformed(`its payload file is not a V8-serialized value (${(error as Error).message})`, error);
  }
}
