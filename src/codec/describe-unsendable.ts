import { Kind, classOf, subclassedBuiltin } from './classify.js';
import { binaryKind } from './native-types.js';

/**
 * Says why a value can't cross the process boundary, in words a user can act
 * on. Returns undefined for values the codec handles.
 */
export function describeUnsendable(value: unknown): string | undefined {
  switch (typeof value) {
    case 'function':
      return (
        `it is a function${value.name ? ` (${value.name})` : ''}; a function crosses only as an argument of the call (the ` +
        `child gets a stub that calls it back), not here. Pass data instead and rebuild the behaviour in the method`
      );
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
  if (value instanceof AbortSignal)
    return 'it is an AbortSignal, which can only cross as an argument of the call (the child then gets a live signal)';
  if (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) {
    return "it is a SharedArrayBuffer; memory can't be shared between processes, copy it into an ArrayBuffer";
  }
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
  const name = proto?.constructor?.name;
  const className = typeof name === 'string' && name ? name : 'an anonymous class';
  const v = value as { on?: unknown; emit?: unknown; pipe?: unknown };
  if (typeof v.on === 'function' && typeof v.emit === 'function') {
    return (
      `it is a ${className}, a live object (event emitter, stream, socket or process) that can't be copied to another ` +
      `process; pass what it holds or how to recreate it`
    );
  }
  return (
    `it is an instance of class ${className}, which isn't registered with isolated-call. ` +
    `Add it to @Isolated({ classes: [${className}] }) or call registerClass(${className}) in a module the child also imports`
  );
}

/** Why an object the classifier put in a refused kind can't cross; other kinds fall back to `describeUnsendable`. */
export function describeRefused(obj: object, kind: Kind): string | undefined {
  switch (kind) {
    case Kind.Proxy:
      return (
        "it is a Proxy; structured clone can't copy one. " +
        'Pass a plain copy of the data it stands for (such as { ...value } or [...value])'
      );
    case Kind.SharedMemory: {
      if (!ArrayBuffer.isView(obj)) return describeUnsendable(obj);
      const kind = binaryKind(obj);
      const fix = obj instanceof DataView ? 'copy its bytes into a new ArrayBuffer first' : `copy it first (${kind}.from(view))`;
      return (
        `it is a ${kind} over a SharedArrayBuffer; memory can't be shared between processes, and copying the view would ` +
        `silently end the sharing: ${fix}`
      );
    }
    case Kind.SubclassedBuiltin: {
      const proto: object | null = Object.getPrototypeOf(obj);
      const base = subclassedBuiltin(obj, proto);
      const ctor = classOf(proto);
      const name = typeof ctor === 'function' && ctor.name ? ctor.name : 'an anonymous class';
      // Copying it as its base would hand back a plain Map (or Date...): the type would change without a word.
      return (
        `it is a ${name}, a subclass of ${base}, which would arrive as a plain ${base}. Pass a plain ${base}, or register a ` +
        `transformer for ${name} with registerCustom()`
      );
    }
    default:
      return describeUnsendable(obj);
  }
}

/**
 * `Name: message` of something a getter or a conversion threw, for a reason;
 * never throws itself (what was thrown may have throwing getters too), and
 * never runs long (at most 1,000 characters of each part).
 */
export function describeThrown(thrown: unknown): string {
  try {
    if (thrown instanceof Error) return `${clip(String(thrown.name))}: ${clip(String(thrown.message))}`;
    return clip(String(thrown));
  } catch {
    return 'a value that could not be described';
  }
}

function clip(text: string): string {
  return text.length <= 1000 ? text : `${text.slice(0, 1000)}…`;
}
