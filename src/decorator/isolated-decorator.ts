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
