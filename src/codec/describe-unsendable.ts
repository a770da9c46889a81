/**
 * Says why a value can't cross the process boundary, in words a user can act
 * on. Returns undefined for values the codec handles.
 */
export function describeUnsendable(value: unknown): string | undefined {
  switch (typeof value) {
    case 'function':
      return `it is a function${value.name ? ` (${value.name})` : ''}; functions can't cross processes. Pass data instead and rebuild the behaviour in the method`;
    case 'symbol':
      return `it is a symbol that isn't registered (${String(value)}); use Symbol.for() or registerSymbol()`;
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return undefined;
  if (value instanceof WeakMap) return "it is a WeakMap; its entries can't be listed, so it can't be copied";
  if (value instanceof WeakSet) return "it is a WeakSet; its entries can't be listed, so it can't be copied";
  if (value instanceof WeakRef) return 'it is a WeakRef, which only means something inside one process';
  if (value instanceof Promise) return 'it is a Promise; await it and pass the value instead';
  if (value instanceof AbortSignal) return 'it is an AbortSignal, which can only cross as an argument of the call (the child then gets a live signal)';
  if (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) {
    return "it is a SharedArrayBuffer; memory can't be shared between processes, copy it into an ArrayBuffer";
  }
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
  const name = proto?.constructor?.name;
  const className = typeof name === 'string' && name ? name : 'an anonymous class';
  const v = value as { on?: unknown; emit?: unknown; pipe?: unknown };
  if (typeof v.on === 'function' && typeof v.emit === 'function') {
    return `it is a ${className}, a live object (event emitter, stream, socket or process) that can't be copied to another process; pass what it holds or how to recreate it`;
  }
  return (
    `it is an instance of class ${className}, which isn't registered with isolated-call. ` +
    `Add it to @Isolated({ classes: [${className}] }) or call registerClass(${className}) in a module the child also imports`
  );
}
