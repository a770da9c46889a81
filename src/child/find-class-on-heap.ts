import { builtin } from '../shared/builtin.js';
import { targetRecords } from '../targets/records.js';

const PREDICATE_KEY = Symbol.for('isolated-call.heap-predicate');

/**
 * Finds the class of a standard (TC39) instance method that its module
 * neither exports nor registers, as in an app's bundle. Such a decorator
 * never sees its class (only an instance would show it), so the child asks
 * V8, through a same-thread inspector session, for every function on its
 * heap and takes the one named `owner` whose prototype holds the decorated
 * wrapper `method`, decorated in `module` if any such class was (two
 * modules may each define a class of that name). A millisecond or two in a
 * small child (the search starts with a garbage collection), once per child,
 * and only where the cheaper lookups failed. Undefined when there is none or
 * the inspector is unavailable.
 */
export function findClassOnHeap(module: string, owner: string, method: string): Function | undefined {
  const { methods } = targetRecords();
  const holder = globalThis as { [PREDICATE_KEY]?: (f: unknown) => boolean };
  let found: Function | undefined;
  let elsewhere: Function | undefined;
  holder[PREDICATE_KEY] = (f: unknown) => {
    if (typeof f !== 'function' || found) return false;
    let held: unknown;
    try {
      held = Object.getOwnPropertyDescriptor(f.prototype ?? {}, method)?.value;
    } catch {
      return false;
    }
    const meta = typeof held === 'function' ? methods.get(held) : undefined;
    if (meta?.kind !== 'instance' || (f.name !== owner && meta.options?.id !== owner)) return false;
    if (meta.detectedModule !== module) {
      elsewhere ??= f;
      return false;
    }
    found = f;
    return true;
  };
  const { Session } = builtin<typeof import('node:inspector')>('node:inspector');
  const session = new Session();
  try {
    session.connect();
    // A same-thread session answers synchronously: each callback runs before post() returns.
    let prototype: string | undefined;
    session.post('Runtime.evaluate', { expression: 'Function.prototype' }, (_, r) => {
      prototype = r?.result.objectId;
    });
    let functions: string | undefined;
    if (prototype)
      session.post('Runtime.queryObjects', { prototypeObjectId: prototype }, (_, r) => {
        functions = r?.objects.objectId;
      });
    if (functions)
      session.post('Runtime.callFunctionOn', {
        objectId: functions,
        functionDeclaration:
          'function () { const test = globalThis[Symbol.for("isolated-call.heap-predicate")]; ' +
          'for (const f of this) if (test(f)) return; }',
      });
  } catch {
    // no inspector (a build without it): the caller reports the class as not found
  } finally {
    session.disconnect();
    delete holder[PREDICATE_KEY];
  }
  return found ?? elsewhere;
}
