import { types } from 'node:util';
import { classId, transformerLookup, type TransformerLookup } from './registrations.js';
import { arrayPrototype, isNativeLeaf, mapPrototype, objectPrototype, setPrototype } from './native-types.js';
import { BLOB_MIN_BYTES } from './blobs.js';
import { hasTagKey } from './tags.js';
import { isPlainObject } from '../shared/plain-object.js';

/**
 * What an object is, for the codec. The read-only scan, the copying encoder
 * and the decoder all switch on this one answer, so they can't disagree about
 * what counts as plain data.
 */
export const Kind = {
  /** Object.prototype and no TAG key: structured clone copies it; its values need a look. */
  Record: 1,
  Array: 2,
  Map: 3,
  Set: 4,
  /** Date, RegExp, boxed primitives, ArrayBuffer, typed arrays, Buffer: copied natively, nothing inside to visit. */
  NativeLeaf: 5,
  /** A native leaf big enough to go beside the message (only when the caller offloads). */
  LargeBinary: 6,
  /** A plain object that has the TAG key: the encoder escapes it, the decoder reads it as a tag. */
  TaggedRecord: 7,
  NullProto: 8,
  /** Handled by a registerCustom() transformer. */
  Custom: 9,
  Error: 10,
  Url: 11,
  Signal: 12,
  /** Instance of a class registered with registerClass(). */
  Instance: 13,
  /** A subclass of a built-in whose contents live in internal slots (class Foo extends Map). */
  SubclassedBuiltin: 14,
  /** A Proxy: what structured clone would copy is up to its traps. */
  Proxy: 15,
  /** A SharedArrayBuffer, or a view over one: memory one process can't share with another. */
  SharedMemory: 16,
  /** Anything else: functions' kin, WeakMaps, Promises, unregistered classes. */
  Unsendable: 17,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** What classification depends on besides the object itself; made once per walk by `classifyContext`. */
export interface ClassifyContext {
  /** Whether large binary data goes beside the message (encoding with a blob folder). */
  readonly offload: boolean;
  /** The registerCustom() transformers (the SDK's and the app's superjson's), when there are any. */
  readonly custom: TransformerLookup | undefined;
}

/** The context for one walk: the registry is looked up once, not per object. */
export function classifyContext(offload: boolean): ClassifyContext {
  return { offload, custom: transformerLookup() };
}

/**
 * Classifies an object. Cheap for the common kinds (one prototype read and a
 * few comparisons), which come first; registries are consulted only for what
 * is left.
 */
export function classify(obj: object, context: ClassifyContext): Kind {
  // Transformers first, as registerCustom() promises: one may take proxies (a
  // framework's reactive objects, say). Then proxies, before anything reads
  // them: a revoked one throws on getPrototypeOf.
  if (context.custom !== undefined && isCustom(obj, context.custom)) return Kind.Custom;
  if (types.isProxy(obj)) return Kind.Proxy;
  const proto: object | null = Object.getPrototypeOf(obj);
  if (proto === objectPrototype) return hasTagKey(obj) ? Kind.TaggedRecord : Kind.Record;
  if (proto === arrayPrototype) return Kind.Array;
  if (proto === mapPrototype) return Kind.Map;
  if (proto === setPrototype) return Kind.Set;
  if (isNativeLeaf(proto)) {
    if (isSharedMemory(obj)) return Kind.SharedMemory;
    return context.offload && isLarge(obj) ? Kind.LargeBinary : Kind.NativeLeaf;
  }
  if (subclassedBuiltin(obj, proto) !== undefined) return Kind.SubclassedBuiltin;
  if (proto === null) return Kind.NullProto;
  if (obj instanceof Error) return Kind.Error;
  if (obj instanceof URL) return Kind.Url;
  if (obj instanceof AbortSignal) return Kind.Signal;
  if (types.isSharedArrayBuffer(obj)) return Kind.SharedMemory;
  return registeredClassId(proto) === undefined ? Kind.Unsendable : Kind.Instance;
}

/**
 * Classifies what came out of structured clone on this side. Node rebuilds a
 * message in its main realm, which need not be the SDK's (jest runs modules
 * in a vm context), so only realm-independent checks are used: records
 * (perhaps tags), arrays, maps and sets hold values to walk; anything else
 * structured clone makes is a leaf.
 */
export function classifyReceived(obj: object): Kind {
  if (Array.isArray(obj)) return Kind.Array;
  if (isPlainObject(obj)) return hasTagKey(obj) ? Kind.TaggedRecord : Kind.Record;
  if (types.isMap(obj)) return Kind.Map;
  if (types.isSet(obj)) return Kind.Set;
  return Kind.NativeLeaf;
}

/** Does a transformer take this object? A transformer that throws on a (revoked) proxy doesn't. */
function isCustom(obj: object, custom: NonNullable<ClassifyContext['custom']>): boolean {
  try {
    return Boolean(custom.findApplicable(obj));
  } catch (error) {
    if (types.isProxy(obj)) return false;
    throw error;
  }
}

/** The id an object's class is registered under, if it is. */
export function registeredClassId(proto: object | null): string | undefined {
  const ctor = classOf(proto);
  return typeof ctor === 'function' ? classId(ctor) : undefined;
}

/**
 * The class of an object, read from its prototype: an own `constructor` key is
 * the user's data and must not decide how the object is encoded.
 */
export function classOf(proto: object | null): unknown {
  return proto === null ? undefined : (proto as { constructor?: unknown }).constructor;
}

/** Is this string or binary value big enough to go beside the message rather than through the IPC channel? */
export function isLarge(value: object | string): boolean {
  if (typeof value === 'string') return value.length * 2 >= BLOB_MIN_BYTES;
  return (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) && value.byteLength >= BLOB_MIN_BYTES;
}

/** A view over a SharedArrayBuffer: structured clone would copy its bytes silently, cutting the sharing. */
function isSharedMemory(obj: object): boolean {
  return ArrayBuffer.isView(obj) && types.isSharedArrayBuffer(obj.buffer);
}

/**
 * The built-in an object extends, when it is an instance of a subclass of a
 * built-in whose contents live in internal slots (entries, time, bytes): the
 * codec can copy the slots but not the subclass. Errors are left out: their
 * tag rebuilds subclasses.
 */
export function subclassedBuiltin(obj: object, proto: object | null): string | undefined {
  if (proto === arrayPrototype || proto === mapPrototype || proto === setPrototype || isNativeLeaf(proto)) return undefined;
  if (Array.isArray(obj)) return 'Array';
  if (obj instanceof Map) return 'Map';
  if (obj instanceof Set) return 'Set';
  if (obj instanceof Date) return 'Date';
  if (obj instanceof RegExp) return 'RegExp';
  if (obj instanceof ArrayBuffer) return 'ArrayBuffer';
  if (ArrayBuffer.isView(obj)) {
    let base = proto;
    while (base !== null && !isNativeLeaf(base)) base = Object.getPrototypeOf(base);
    const ctor = classOf(base);
    return typeof ctor === 'function' ? ctor.name : 'ArrayBufferView';
  }
  if (obj instanceof URL && proto !== URL.prototype) return 'URL';
  return undefined;
}
