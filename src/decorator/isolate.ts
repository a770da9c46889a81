import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { registerClass } from '../codec/register.js';
import { resolveOptions, type IsolatedOptions } from '../options.js';
import { globalState } from '../shared/global-state.js';
import { findCallerModule } from './caller-module.js';
import { wrap } from './isolated.js';
import type { MethodMeta } from './method-meta.js';

/**
 * The function form of `@Isolated()`, for code without classes: returns a
 * function with the same signature whose every call runs `fn` in a child.
 *
 * Call it at the top level of a module (an arrow function is fine), so the
 * child, which evaluates the same module, makes the same call:
 *
 * @example
 * export const transpile = isolate(async (source: string) => {
 *   const ts = await import('typescript');
 *   return ts.transpileModule(source, {}).outputText;
 * });
 *
 * A named function keeps its name as the id; an anonymous one is known by its
 * place among the module's isolate() calls (`anonymous#1`, …), which both
 * processes agree on as long as the module makes the same isolate() calls in
 * the same order each time it runs. Pass `options.id` where it doesn't.
 *
 * @throws InvalidOptionError when `fn` is not a function, or has no name and
 * no `id` and the calling module can't be told.
 */
export function isolate<F extends (...args: any[]) => Promise<unknown>>(fn: F, options?: IsolatedOptions): F {
  if (typeof fn !== 'function') throw new InvalidOptionError('fn', 'isolate() takes the async function to run in a child');
  resolveOptions(options);
  const detectedModule = findCallerModule();
  const id = options?.id ?? (fn.name || (detectedModule && anonymousId(detectedModule)));
  if (!id) throw new InvalidOptionError('id', 'isolate() needs a named function or an id option here: the module that called it could not be told');
  for (const cls of options?.classes ?? []) registerClass(cls);
  const meta: MethodMeta = { kind: 'function', name: id, original: fn, options, detectedModule, owner: undefined };
  const wrapped = wrap(meta);
  if (detectedModule) globalState().functions.set(`${detectedModule}#${id}`, meta);
  return wrapped as unknown as F;
}

/** How many anonymous functions each module has passed to isolate() so far. */
const anonymousCounts = new Map<string, number>();

/** `anonymous#N`: the Nth anonymous isolate() of this module, the same in parent and child. */
function anonymousId(module: string): string {
  const n = (anonymousCounts.get(module) ?? 0) + 1;
  anonymousCounts.set(module, n);
  return `anonymous#${n}`;
}
