/**
 * Whether `proto` is `Object.prototype`, of this realm or of another one.
 *
 * Values a child sends are rebuilt by Node's IPC code in the main realm. The
 * SDK itself may run in another: jest evaluates every module of a test,
 * node_modules included, in a vm context with its own intrinsics. A check
 * against this realm's `Object.prototype` alone would call every message
 * from a child malformed there.
 */
export function isObjectPrototype(proto: unknown): boolean {
  if (proto === Object.prototype) return true;
  if (typeof proto !== 'object' || proto === null || Object.getPrototypeOf(proto) !== null) return false;
  const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
  return typeof ctor === 'function' && ctor.name === 'Object' && Object.getOwnPropertyDescriptor(proto, 'hasOwnProperty') !== undefined;
}

/** A plain object (or one with no prototype) from any realm, as structured clone rebuilds records. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || isObjectPrototype(proto);
}
