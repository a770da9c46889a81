import { SerializationError } from '../errors/serialization-error.js';
import { allowedProps, symbolId } from './registrations.js';
import { classOf, registeredClassId } from './classify.js';
import { defineOwn } from './own-props.js';
import { discardBlobs, writeBlob } from './blobs.js';
import {
  blobTag,
  escapedTag,
  instanceTag,
  leftBehindTag,
  nullProtoTag,
  signalTag,
  symbolTag,
  type BlobTag,
  type EncodedProps,
} from './tags.js';
import { formatPath } from './value-path.js';
import type { EncodeContext } from './walk-context.js';

/*
 * The tags the copying encoder builds for what structured clone can't carry
 * as it is (errors are in encode-error.ts). Each remembers its object before
 * walking inside it, so a cycle through it comes back as the same tag.
 */

/** A plain object that has the TAG key: sent as its entries, so it can't pass for a tag. */
export function encodeEscaped(encoder: EncodeContext, obj: object): unknown {
  const entries: [string, unknown][] = [];
  const tag = encoder.remember(obj, escapedTag(entries));
  for (const key of Object.keys(obj)) entries.push([key, encoder.atProperty(obj, key)]);
  return tag;
}

export function encodeNullProto(encoder: EncodeContext, obj: object): unknown {
  const p: EncodedProps = {};
  const tag = encoder.remember(obj, nullProtoTag(p));
  encoder.props(obj, p);
  return tag;
}

/** An instance of a registered class: its id and own (or allowed) props. */
export function encodeInstance(encoder: EncodeContext, obj: object): unknown {
  const proto: object | null = Object.getPrototypeOf(obj);
  const p: EncodedProps = {};
  const tag = encoder.remember(obj, instanceTag(registeredClassId(proto)!, p));
  const only = allowedProps(classOf(proto));
  if (encoder.leftBehind !== undefined && encoder.path.depth === 0) {
    for (const key of only ?? Object.keys(obj)) defineOwn(p, key, fieldOrLeftBehind(encoder, encoder.leftBehind, obj, key));
  } else encoder.props(obj, p, only);
  return tag;
}

/**
 * A field of the root instance (`this`), encoded, or a left-behind tag when
 * it (or something in it) can't cross. What the failed walk had remembered
 * and written is undone: a later field sharing one of those objects must get
 * a whole copy, not the half-built one.
 */
function fieldOrLeftBehind(encoder: EncodeContext, leftBehind: string[], obj: object, key: string): unknown {
  const remembered = encoder.memo.size;
  const written = encoder.files.length;
  try {
    return encoder.atProperty(obj, key);
  } catch (error) {
    if (!(error instanceof SerializationError)) throw error;
    encoder.path.unwindTo(0);
    // The memo lists objects in the order they were met (deleting while iterating is safe).
    let index = 0;
    for (const seen of encoder.memo.keys()) if (index++ >= remembered) encoder.memo.delete(seen);
    discardBlobs(encoder.files.splice(written));
    const field = formatPath(encoder.path.root, [key]);
    leftBehind.push(field === error.path ? field : `${field} (${error.path})`);
    return leftBehindTag(error.path, error.reason);
  }
}

export function encodeMap(encoder: EncodeContext, map: Map<unknown, unknown>): Map<unknown, unknown> {
  const out = encoder.remember(map, new Map<unknown, unknown>());
  let i = 0;
  for (const [k, v] of map) {
    out.set(encoder.at({ label: `Map key #${i}` }, k), encoder.at({ label: `Map value #${i}` }, v));
    i++;
  }
  return out;
}

export function encodeSet(encoder: EncodeContext, set: Set<unknown>): Set<unknown> {
  const out = encoder.remember(set, new Set<unknown>());
  let i = 0;
  for (const v of set) out.add(encoder.at({ label: `Set item #${i++}` }, v));
  return out;
}

/** An AbortSignal of the call's arguments: its index among them (the child makes a live one). */
export function encodeSignal(encoder: EncodeContext, signal: AbortSignal): unknown {
  const { signals } = encoder;
  if (!signals) return encoder.fail(signal);
  const index = signals.indexOf(signal);
  return encoder.remember(signal, signalTag(index === -1 ? signals.push(signal) - 1 : index));
}

/** Writes the bytes beside the message; the other side reads them back as the same type. */
export function encodeBlob(encoder: EncodeContext, data: ArrayBufferView | ArrayBuffer | string, kind: string): BlobTag {
  const bytes =
    typeof data === 'string'
      ? data
      : ArrayBuffer.isView(data)
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : new Uint8Array(data);
  const file = writeBlob(encoder.blobDir!, bytes);
  encoder.files.push(file);
  return blobTag(file, kind);
}

/** A symbol from Symbol.for(), or one registered with registerSymbol(). */
export function encodeSymbol(encoder: EncodeContext, sym: symbol): unknown {
  const globalKey = Symbol.keyFor(sym);
  if (globalKey !== undefined) return symbolTag(globalKey, true);
  const id = symbolId(sym);
  return id === undefined ? encoder.fail(sym) : symbolTag(id, false);
}
