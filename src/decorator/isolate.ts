import type { IsolatedOptions } from '../options/types.js';
import { isolatedFunction } from './isolated-function.js';
import { wrap } from './isolated.js';

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
 * An async generator function (`async function*`) gives an AsyncGenerator of
 * the values the child yields, as `@Isolated()` does for `async *` methods.
 *
 * A named function keeps its name as the id; an anonymous one is known by its
 * place among the module's isolate() calls (`anonymous#1`, …), which both
 * processes agree on as long as the module makes the same isolate() calls in
 * the same order each time it runs. Pass `options.id` where it doesn't.
 *
 * @throws InvalidOptionError when `fn` is not a function, or has no name and
 * no `id` and the calling module can't be told.
 */
// biome-ignore lint/suspicious/noExplicitAny: "any callable" in TypeScript; unknown[] rejects typed parameters
export function isolate<F extends (...args: any[]) => Promise<unknown> | AsyncIterable<unknown>>(fn: F, options?: IsolatedOptions): F {
  return isolatedFunction(fn, options, wrap) as F;
}
