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
 * Call it at the top level of a module and export the result under the
 * function's name (or pass `options.id`), so the child can find it:
 *
 * @example
 * export const transpile = isolate(async function transpile(source: string) {
 *   const ts = await import('typescript');
 *   return ts.transpileModule(source, {}).outputText;
 * });
 *
 * @throws InvalidOptionError when `fn` is not a function or has no name and no `id`.
 */
export function isolate<F extends (...args: any[]) => Promise<unknown>>(fn: F, options?: IsolatedOptions): F {
  if (typeof fn !== 'function') throw new InvalidOptionError('fn', 'isolate() takes the async function to run in a child');
  resolveOptions(options);
  const id = options?.id ?? fn.name;
  if (!id) throw new InvalidOptionError('id', 'isolate() needs a named function or an id option, so the child can find it');
  for (const cls of options?.classes ?? []) registerClass(cls);
  const detectedModule = findCallerModule();
  const meta: MethodMeta = { kind: 'function', name: id, original: fn, options, detectedModule, owner: undefined };
  const wrapped = wrap(meta);
  if (detectedModule) globalState().functions.set(`${detectedModule}#${id}`, meta);
  return wrapped as unknown as F;
}
