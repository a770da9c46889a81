/**
 * Only what the SDK made isolated runs in a child: a method decorated with
 * @Isolated() or a function made with isolate(). A call names its target by
 * module, owner and method, and a fleet's job can name anything: a plain
 * export, an undecorated method, `call` or `constructor` on a function. The
 * decorators record every wrapper they make (targets/records.ts,
 * `methods`), and isolate() records its functions (`functions`); a target
 * found any other way is refused before it runs, in a call from a fleet's
 * worker. A local call's target comes from the parent's own decorator, so
 * there the lookup stays lenient (a `module` option that
 * points at a plain function, a decorator stacked above @Isolated()).
 */
import type { MethodMeta } from '../targets/method-meta.js';
import type { TargetRef } from '../protocol/messages.js';
import { targetRecords } from '../targets/records.js';
import { NOT_ISOLATED_CODE } from '../shared/not-isolated.js';

/** What @Isolated() or isolate() recorded for `fn`, when it made it. */
export function isolatedMeta(fn: unknown): MethodMeta | undefined {
  return typeof fn === 'function' ? targetRecords().methods.get(fn) : undefined;
}

/**
 * Why `fn`, found for `ref`, is not a wrapper @Isolated() made for a method of
 * that kind (instance or static); undefined when it is one.
 */
export function methodRefusal(fn: Function, ref: TargetRef): string | undefined {
  const meta = isolatedMeta(fn);
  if (meta !== undefined && meta.kind === ref.kind) return undefined;
  return (
    `${ref.owner}.${ref.method} is not a${ref.kind === 'static' ? ' static' : 'n instance'} method decorated with @Isolated() ` +
    '(the class holds something else under that name: an undecorated or inherited method, or a decorator written ' +
    'above @Isolated() wrapped it; write @Isolated() first, above the others)'
  );
}

/** The error for a target that is not isolated: it is refused, nothing of it ran. */
export function notIsolated(why: string): Error {
  return Object.assign(new Error(`${why}. Only isolated methods and functions run in a child.`), { code: NOT_ISOLATED_CODE });
}
