import { IsolatedCallError } from '../errors/isolated-call-error.js';
import { SerializationError } from '../errors/serialization-error.js';
import { builtin } from '../shared/builtin.js';
import { Decoder } from './decoder.js';
import type { Encoded } from './tags.js';
import type { DecodeHooks } from './walk-context.js';

export type { DecodeHooks } from './walk-context.js';

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
 * The value of a packed blob file (protocol/wire-value.ts): the V8 bytes
 * the other side wrote beside the message, read through `readBlob`, which
 * checks the file as it checks every large part.
 */
function readPacked(file: unknown, root: string, hooks: DecodeHooks): unknown {
  const malformed = (reason: string, cause?: unknown) =>
    hooks.malformed?.(root, reason) ?? new SerializationError(root, reason, cause === undefined ? undefined : { cause });
  if (typeof file !== 'string') throw malformed(`its packed value names ${typeof file}, not a blob file`);
  if (!hooks.readBlob) throw malformed('it was sent beside the message, but large data is not expected here');
  const bytes = hooks.readBlob(file, false);
  try {
    return builtin<typeof import('node:v8')>('node:v8').deserialize(bytes as Buffer);
  } catch (error) {
    if (error instanceof IsolatedCallError) throw error;
    throw malformed(`its blob file is not a V8-serialized value (${(error as Error).message})`, error);
  }
}
