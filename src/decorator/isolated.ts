import type { IsolatedOptions } from '../options.js';
import { invoke } from '../parent/invoke.js';
import { invokeStream } from '../parent/stream-call.js';
import { isolatedDecorator } from './decorate-method.js';
import type { MethodMeta } from './method-meta.js';
import { type IsolatedFunction, wrapWith } from './wrap.js';

/** Any method that returns a Promise. */
// biome-ignore lint/suspicious/noExplicitAny: "any callable" in TypeScript; unknown[] rejects typed parameters
export type AsyncMethod<This = any, Args extends any[] = any[], Return = unknown> = (this: This, ...args: Args) => Promise<Return>;

/**
 * Any async generator method (`async *`), or one returning an async iterable:
 * each call gives the caller an AsyncGenerator of the values the child yields.
 */
// biome-ignore lint/suspicious/noExplicitAny: "any callable" in TypeScript; unknown[] rejects typed parameters
export type StreamMethod<This = any, Args extends any[] = any[], Yield = unknown> = (this: This, ...args: Args) => AsyncIterable<Yield>;

/**
 * The decorator `@Isolated()` returns. It works in both dialects, chosen at
 * run time by the arguments it receives: TC39 standard decorators (TypeScript
 * 5 without `experimentalDecorators`) and legacy ones (`experimentalDecorators`).
 * Only methods returning a Promise, and async generator methods (`async *`,
 * returning an AsyncGenerator or AsyncIterable), are accepted; decorating a
 * sync method is a compile error, since isolation would silently make it async.
 */
export interface IsolatedDecorator {
  /**
   * TC39 standard method decorator. Typed by the whole method type, not by its
   * parameters and result, so generic methods keep their type parameters.
   */
  <This, Method extends AsyncMethod<This> | StreamMethod<This>>(method: Method, context: ClassMethodDecoratorContext<This, Method>): Method;
  /** Legacy (`experimentalDecorators`) method decorator. */
  <T extends AsyncMethod | StreamMethod>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ): TypedPropertyDescriptor<T>;
}

/**
 * Runs every call of the decorated async method in a child process. The child
 * imports the module that defines the class, rebuilds `this` and the
 * arguments, runs the method and sends back its value or error; by default it
 * then exits, so whatever the method loaded (a compiler, a parser) never
 * occupies the caller's memory.
 *
 * The class must be reachable in the child: exported from its module under
 * its name, or registered with `registerClass()`, or named by `options.id`.
 *
 * @param options See {@link IsolatedOptions}; each has a documented default.
 * @throws InvalidOptionError at decoration time for a bad option.
 * An async generator method (`async *rows()`) gives its caller an
 * AsyncGenerator: the child drives the generator and the values arrive as it
 * yields them, at most `streamAhead` values (or `streamAheadBytes`) ahead of
 * the consumer. See docs/streams-and-callbacks.md.
 *
 * @example
 * class Transpiler {
 *   @Isolated({ timeout: 10_000 })
 *   async transpile(source: string): Promise<string> {
 *     const ts = await import('typescript'); // loaded in the child only
 *     return ts.transpileModule(source, {}).outputText;
 *   }
 * }
 */
export function Isolated(options?: IsolatedOptions): IsolatedDecorator {
  return isolatedDecorator(options, wrap);
}

/** The function that replaces the method: inline in a child, a child call otherwise. */
export function wrap(meta: MethodMeta): IsolatedFunction {
  return wrapWith(meta, meta.stream ? invokeStream : invoke);
}
