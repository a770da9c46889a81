/** A typed array or DataView class: all take (buffer, byteOffset, length). */
export interface BinaryViewClass {
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): ArrayBufferView;
  /** Absent on DataView, whose length is in bytes. */
  readonly BYTES_PER_ELEMENT?: number;
}

const viewClasses: readonly BinaryViewClass[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
];

/**
 * Prototypes of the objects structured clone (and Node's IPC serializer)
 * copies faithfully by itself, contents included. Buffer is among them: Node's
 * serializer writes it as a host object and rebuilds a Buffer.
 */
const typedArrayPrototypes: ReadonlySet<object> = new Set([...viewClasses, Buffer].map((c) => c.prototype));

/** Binary view classes by name, for data sent beside the message. Null prototype: the name comes from the wire. */
export const binaryViews: Readonly<Record<string, BinaryViewClass>> = Object.assign(
  Object.create(null) as Record<string, BinaryViewClass>,
  Object.fromEntries(viewClasses.map((c) => [(c as unknown as Function).name, c])),
);

export const objectPrototype = Object.prototype;
export const arrayPrototype = Array.prototype;
export const mapPrototype = Map.prototype;
export const setPrototype = Set.prototype;

/** Leaf objects copied natively with nothing inside that the codec must visit. */
export function isNativeLeaf(proto: object | null): boolean {
  return (
    proto === Date.prototype ||
    proto === RegExp.prototype ||
    proto === ArrayBuffer.prototype ||
    proto === Number.prototype ||
    proto === String.prototype ||
    proto === Boolean.prototype ||
    proto === BigInt.prototype || // Object(1n): structured clone boxes it too
    (proto !== null && typedArrayPrototypes.has(proto))
  );
}

/**
 * Built-in error classes the other side always has. Null prototype: the name
 * comes from the wire, and `constructor` or `toString` must not resolve to
 * Object's members.
 */
export const builtinErrors: Readonly<Record<string, new (message?: string) => Error>> = Object.assign(
  Object.create(null) as Record<string, new (message?: string) => Error>,
  { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError },
);

/** What a blob tag calls a binary value, so the receiver rebuilds the same type. */
export function binaryKind(obj: object): string {
  if (Buffer.isBuffer(obj)) return 'Buffer';
  const ctor = (Object.getPrototypeOf(obj) as { constructor?: unknown } | null)?.constructor;
  return typeof ctor === 'function' ? ctor.name : 'ArrayBuffer';
}
