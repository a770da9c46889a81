import type { IsolatedOptions } from '../options/types.js';
import { invoke } from '../parent/calls/invoke.js';
import { invokeStream } from '../parent/calls/stream-call.js';
import { isolatedDecorator } from './decorate-method.js';
import type { IsolatedDecorator } from './isolated-decorator.js';
import type { MethodMeta } from '../targets/method-meta.js';
import { type IsolatedFunction, wrapWith } from './wrap.js';

export type { AsyncMethod, IsolatedDecorator, StreamMethod } from './isolated-decorator.js';

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
 * An async generator method (`async *rows()`) gives its caller an
 * AsyncGenerator: the child drives the generator and the values arrive as it
 * yields them, at most `streamAhead` values (or `streamAheadBytes`) ahead of
 * the consumer. See docs/streams-and-callbacks.md.
 *
 * @param options See {@link IsolatedOptions}; each has a documented default.
 * @throws InvalidOptionError at decoration time for a bad option.
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
