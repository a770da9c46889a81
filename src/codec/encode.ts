import { SerializationError } from '../errors/serialization-error.js';
import { globalState } from '../shared/global-state.js';
import { describeUnsendable } from './describe-unsendable.js';
import { arrayPrototype, builtinErrors, isNativeLeaf, mapPrototype, objectPrototype, setPrototype } from './native-types.js';
import { SIDE_CHANNEL_MIN_BYTES, discardBlobs, writeBlob } from './side-channel.js';
import { TAG, Tag, type Encoded, type TagObject } from './tags.js';
import { formatPath, type PathKey } from './value-path.js';

/**
 * Turns a value into something structured clone carries exactly.
 *
 * Most payloads are plain data that structured clone already handles, so a
 * read-only scan runs first; if it finds nothing to tag, the value is sent as
 * it is and the other side skips decoding. Only otherwise does a copying pass
 * build tags, keeping shared references and cycles as shared references.
 *
 * @param root How the value is named in error paths: `args`, `this`, `result`.
 * @param signals Collects AbortSignals found (parent-side arguments only); without it a signal is unsendable.
 * @throws SerializationError naming the path of the first value that can't cross.
 */
export function encode(value: unknown, root: string, options: EncodeOptions = {}): Encoded {
  const offload = options.blobDir !== undefined;
  if (isPlainData(value, offload)) return { v: value, t: false };
  const encoder = new Encoder(root, options.signals, options.blobDir);
  let v: unknown;
  try {
    v = encoder.encode(value);
  } catch (error) {
    // Large parts already written beside the message belong to no message now.
    discardBlobs(encoder.files);
    throw error;
  }
  return encoder.files.length > 0 ? { v, t: true, f: encoder.files } : { v, t: true };
}

export interface EncodeOptions {
  /** Collects AbortSignals found (parent-side arguments only); without it a signal is unsendable. */
  readonly signals?: AbortSignal[];
  /** Where to write large binary data and strings instead of sending them inline (side-channel.ts). */
  readonly blobDir?: string;
}

/** Is this big enough to go beside the message rather than through the IPC channel? */
function isLarge(value: object | string): boolean {
  if (typeof value === 'string') return value.length * 2 >= SIDE_CHANNEL_MIN_BYTES;
  return (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) && value.byteLength >= SIDE_CHANNEL_MIN_BYTES;
}

function isPlainData(root: unknown, offload: boolean): boolean {
  if (typeof root !== 'object' || root === null) {
    return typeof root !== 'symbol' && typeof root !== 'function' && !(offload && typeof root === 'string' && isLarge(root));
  }
  const state = globalState();
  const scan: Scan = {
    custom: state.customTransformers > 0 ? state.registry.customTransformerRegistry : undefined,
    offload,
    budget: SCAN_BUDGET,
  };
  return scanObject(root, scan, 0);
}

/**
 * The scan keeps no set of visited objects: on the tree-shaped data most
 * calls carry, that set costs as much as the walk. A cycle or a very deep
 * value runs into MAX_DEPTH, and a value whose shared references would make
 * the walk revisit too much runs out of budget; either way the answer is "not
 * plain", and the copying encoder, which tracks identity, takes over.
 */
interface Scan {
  readonly custom: { findApplicable(v: unknown): unknown } | undefined;
  readonly offload: boolean;
  budget: number;
}

const MAX_DEPTH = 512;
/** Objects plus entries a scan may visit before it hands over to the encoder. */
const SCAN_BUDGET = 20_000_000;

function scanObject(obj: object, scan: Scan, depth: number): boolean {
  if (--scan.budget < 0 || depth > MAX_DEPTH) return false;
  if (scan.custom?.findApplicable(obj)) return false;
  const proto = Object.getPrototypeOf(obj) as object | null;
  if (proto === objectPrototype) {
    const record = obj as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(record, TAG)) return false;
    const keys = Object.keys(record);
    if ((scan.budget -= keys.length) < 0) return false;
    for (let i = 0; i < keys.length; i++) if (!scanValue(record[keys[i]!], scan, depth)) return false;
    return true;
  }
  if (proto === arrayPrototype) {
    const array = obj as unknown[];
    // Charged by length, holes included: a sparse array of length 2**32 must not be walked.
    if ((scan.budget -= array.length) < 0) return false;
    for (let i = 0; i < array.length; i++) if (!scanValue(array[i], scan, depth)) return false;
    return true;
  }
  if (proto === mapPrototype) {
    if ((scan.budget -= (obj as Map<unknown, unknown>).size) < 0) return false;
    for (const [k, v] of obj as Map<unknown, unknown>) if (!scanValue(k, scan, depth) || !scanValue(v, scan, depth)) return false;
    return true;
  }
  if (proto === setPrototype) {
    if ((scan.budget -= (obj as Set<unknown>).size) < 0) return false;
    for (const v of obj as Set<unknown>) if (!scanValue(v, scan, depth)) return false;
    return true;
  }
  return isNativeLeaf(proto) && !(scan.offload && isLarge(obj));
}

function scanValue(value: unknown, scan: Scan, depth: number): boolean {
  switch (typeof value) {
    case 'object':
      return value === null || scanObject(value, scan, depth + 1);
    case 'function':
    case 'symbol':
      return false;
    case 'string':
      return !(scan.offload && isLarge(value));
    default:
      return true;
  }
}

class Encoder {
  private readonly keys: PathKey[] = [];
  private readonly memo = new Map<object, unknown>();
  private readonly state = globalState();

  /** Payload files written for this value. */
  readonly files: string[] = [];

  constructor(
    private readonly root: string,
    private readonly signals: AbortSignal[] | undefined,
    private readonly blobDir: string | undefined,
  ) {}

  encode(value: unknown): unknown {
    switch (typeof value) {
      case 'symbol':
        return this.symbol(value);
      case 'function':
        return this.fail(value);
      case 'object':
        if (value === null) return null;
        return this.memo.has(value) ? this.memo.get(value) : this.object(value);
      case 'string':
        return this.blobDir !== undefined && isLarge(value) ? this.blob(value, 'string') : value;
      default:
        return value;
    }
  }

  private at(key: PathKey, value: unknown): unknown {
    this.keys.push(key);
    const out = this.encode(value);
    this.keys.pop();
    return out;
  }

  private fail(value: unknown, reason = describeUnsendable(value) ?? 'it is of an unsupported type'): never {
    throw new SerializationError(formatPath(this.root, this.keys), reason);
  }

  private object(obj: object): unknown {
    const { registry, customTransformers } = this.state;
    if (customTransformers > 0) {
      const transformer = registry.customTransformerRegistry.findApplicable(obj);
      if (transformer) return this.remember(obj, { [TAG]: Tag.Custom, n: transformer.name, v: transformer.serialize(obj) });
    }
    const proto = Object.getPrototypeOf(obj) as object | null;
    if (proto === objectPrototype) {
      if (Object.prototype.hasOwnProperty.call(obj, TAG)) {
        const entries: [string, unknown][] = [];
        this.remember(obj, { [TAG]: Tag.Escaped, v: entries });
        for (const key of Object.keys(obj)) entries.push([key, this.at(key, (obj as Record<string, unknown>)[key])]);
        return this.memo.get(obj);
      }
      return this.props(obj, this.remember(obj, {}) as Record<string, unknown>);
    }
    const base = subclassedBuiltin(obj, proto);
    if (base !== undefined) {
      // Copying it as its base would hand back a plain Map (or Date...): the type would change without a word.
      const name = String((classOf(proto) as Function | undefined)?.name || 'an anonymous class');
      return this.fail(obj, `it is a ${name}, a subclass of ${base}, which would arrive as a plain ${base}. Pass a plain ${base}, or register a transformer for ${name} with registerCustom()`);
    }
    if (Array.isArray(obj)) {
      const out: unknown[] = this.remember(obj, new Array(obj.length)) as unknown[];
      for (let i = 0; i < obj.length; i++) if (i in obj) out[i] = this.at(i, obj[i]);
      return out;
    }
    if (proto === null) return this.props(obj, this.tag(obj, Tag.NullProto, { p: {} }).p as Record<string, unknown>, this.memo.get(obj));
    if (obj instanceof Map) {
      const out = this.remember(obj, new Map()) as Map<unknown, unknown>;
      let i = 0;
      for (const [k, v] of obj) {
        out.set(this.at({ label: `Map key #${i}` }, k), this.at({ label: `Map value #${i}` }, v));
        i++;
      }
      return out;
    }
    if (obj instanceof Set) {
      const out = this.remember(obj, new Set()) as Set<unknown>;
      let i = 0;
      for (const v of obj) out.add(this.at({ label: `Set item #${i++}` }, v));
      return out;
    }
    if (isNativeLeaf(proto)) {
      if (this.blobDir !== undefined && isLarge(obj)) {
        return this.remember(obj, this.blob(obj as ArrayBufferView | ArrayBuffer, proto === Buffer.prototype ? 'Buffer' : (classOf(proto) as Function).name));
      }
      return this.remember(obj, obj);
    }
    if (obj instanceof Error) return this.error(obj);
    if (obj instanceof URL) return this.tag(obj, Tag.Url, { h: obj.href });
    if (obj instanceof AbortSignal && this.signals) {
      const index = this.signals.indexOf(obj);
      return this.tag(obj, Tag.Signal, { i: index === -1 ? this.signals.push(obj) - 1 : index, a: obj.aborted });
    }
    const ctor = classOf(proto);
    const id = typeof ctor === 'function' ? registry.classRegistry.getIdentifier(ctor as never) : undefined;
    if (id === undefined) return this.fail(obj);
    const tag = this.tag(obj, Tag.Instance, { id, p: {} });
    const allowed = registry.classRegistry.getAllowedProps(ctor as never);
    return this.props(obj, tag.p as Record<string, unknown>, tag, allowed);
  }

  /** Copies own enumerable props (or the allowed ones) into `out`. */
  private props(obj: object, out: Record<string, unknown>, result: unknown = out, only?: readonly string[]): unknown {
    const record = obj as Record<string, unknown>;
    for (const key of only ?? Object.keys(record)) defineOwn(out, key, this.at(key, record[key]));
    return result;
  }

  private error(err: Error): TagObject {
    const { registry } = this.state;
    const ctor = classOf(Object.getPrototypeOf(err) as object | null);
    const registered = typeof ctor === 'function' ? registry.classRegistry.getIdentifier(ctor as never) : undefined;
    const builtin = typeof ctor === 'function' && builtinErrors[ctor.name] === ctor;
    const tag = this.tag(err, Tag.Error, {
      id: registered ?? (typeof ctor === 'function' ? ctor.name : 'Error'),
      r: registered !== undefined ? 1 : builtin ? 2 : 0,
      n: String(err.name),
      m: String(err.message),
      s: typeof err.stack === 'string' ? err.stack : undefined,
      p: {},
    });
    const props = tag.p as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(err)) {
      if (key === 'stack' || key === 'message') continue;
      // An error must always reach the other side, so a property that can't
      // cross is replaced by a note rather than failing the whole error.
      let value: unknown;
      try {
        value = this.at(key, (err as unknown as Record<string, unknown>)[key]);
      } catch (cause) {
        value = `[cannot cross: ${cause instanceof SerializationError ? cause.message : String(cause)}]`;
      }
      if (key === 'cause') tag.c = [value];
      else if (key !== 'name') {
        defineOwn(props, key, value);
        // Such as AggregateError's `errors`: it must stay out of Object.keys() on the other side too.
        if (!Object.prototype.propertyIsEnumerable.call(err, key)) ((tag.h ??= []) as string[]).push(key);
      }
    }
    return tag;
  }

  /** Writes the bytes beside the message; the other side reads them back as the same type. */
  private blob(data: ArrayBufferView | ArrayBuffer | string, kind: string): TagObject {
    const bytes = typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
    const file = writeBlob(this.blobDir!, bytes);
    this.files.push(file);
    return { [TAG]: Tag.Blob, f: file, k: kind } as TagObject;
  }

  private symbol(sym: symbol): unknown {
    const globalKey = Symbol.keyFor(sym);
    if (globalKey !== undefined) return { [TAG]: Tag.Symbol, k: globalKey, g: true };
    const id = this.state.registry.symbolRegistry.getIdentifier(sym);
    return id === undefined ? this.fail(sym) : { [TAG]: Tag.Symbol, k: id, g: false };
  }

  private tag(obj: object, kind: Tag, fields: Record<string, unknown>): TagObject {
    const tag = { [TAG]: kind, ...fields } as TagObject;
    this.memo.set(obj, tag);
    return tag;
  }

  private remember<T>(obj: object, out: T): T {
    this.memo.set(obj, out);
    return out;
  }
}

/**
 * The built-in an object extends, when it is an instance of a subclass of a
 * built-in whose contents live in internal slots (entries, time, bytes): the
 * codec can copy the slots but not the subclass. Errors are left out: their
 * tag rebuilds subclasses.
 */
function subclassedBuiltin(obj: object, proto: object | null): string | undefined {
  if (proto === arrayPrototype || proto === mapPrototype || proto === setPrototype || isNativeLeaf(proto)) return undefined;
  if (Array.isArray(obj)) return 'Array';
  if (obj instanceof Map) return 'Map';
  if (obj instanceof Set) return 'Set';
  if (obj instanceof Date) return 'Date';
  if (obj instanceof RegExp) return 'RegExp';
  if (obj instanceof ArrayBuffer) return 'ArrayBuffer';
  if (ArrayBuffer.isView(obj)) {
    let base = proto;
    while (base !== null && !isNativeLeaf(base)) base = Object.getPrototypeOf(base) as object | null;
    return String((classOf(base) as Function | undefined)?.name ?? 'ArrayBufferView');
  }
  if (obj instanceof URL && proto !== URL.prototype) return 'URL';
  return undefined;
}

/**
 * The class of an object, read from its prototype: an own `constructor` key is
 * the user's data and must not decide how the object is encoded.
 */
export function classOf(proto: object | null): unknown {
  return proto === null ? undefined : (proto as { constructor?: unknown }).constructor;
}

/** Assigns without triggering setters, so a `__proto__` key stays plain data. */
export function defineOwn(target: object, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string, unknown>)[key] = value;
}
