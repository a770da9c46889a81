import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { registerClass } from '../codec/register.js';
import { resolveOptions, type IsolatedOptions } from '../options.js';
import { invoke } from '../parent/invoke.js';
import { invokeStream } from '../parent/stream-call.js';
import { globalState } from '../shared/global-state.js';
import { stopUnguardedCall } from '../child/unguarded-entry.js';
import { findCallerModule } from './caller-module.js';
import { isAsyncGeneratorFunction } from './is-async-generator-function.js';
import { recordClass } from './class-record.js';
import type { MethodMeta } from './method-meta.js';

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
  resolveOptions(options); // fail at decoration time, where the stack points at the bad option
  const detectedModule = findCallerModule();

  function decorate(value: unknown, second: unknown, descriptor?: PropertyDescriptor): unknown {
    if (isTc39Context(second)) {
      if (second.kind !== 'method') throw new InvalidOptionError('@Isolated', `applies to methods, not to a ${second.kind}`);
      if (second.private)
        throw new InvalidOptionError('@Isolated', `can't isolate private method ${String(second.name)}: the child must find it by name`);
      const meta = createMeta(second.static ? 'static' : 'instance', second.name, value, options, detectedModule, undefined);
      if (second.static)
        second.addInitializer(function (this: unknown) {
          meta.owner = this as Function;
          recordClass(detectedModule, meta.owner, options?.id);
        });
      return wrap(meta);
    }
    // Legacy: (prototype or constructor, key, descriptor)
    if (!descriptor || typeof descriptor.value !== 'function') {
      throw new InvalidOptionError('@Isolated', `applies to methods, not to property ${String(second)}`);
    }
    const isStatic = typeof value === 'function';
    const owner = (isStatic ? value : (value as { constructor: Function }).constructor) as Function;
    const meta = createMeta(isStatic ? 'static' : 'instance', second as string | symbol, descriptor.value, options, detectedModule, owner);
    recordClass(detectedModule, owner, options?.id);
    registerParamTypes(value as object, second as string | symbol);
    return { ...descriptor, value: wrap(meta) };
  }
  return decorate as IsolatedDecorator;
}

function createMeta(
  kind: 'instance' | 'static',
  name: string | symbol,
  original: unknown,
  options: IsolatedOptions | undefined,
  detectedModule: string | undefined,
  owner: Function | undefined,
): MethodMeta {
  if (typeof name === 'symbol')
    throw new InvalidOptionError('@Isolated', `can't isolate symbol-named method ${String(name)}: the child must find it by name`);
  if (typeof original !== 'function') throw new InvalidOptionError('@Isolated', `applies to methods, not to ${typeof original}`);
  for (const cls of options?.classes ?? []) registerClass(cls);
  return { kind, name, original, options, detectedModule, owner, stream: isAsyncGeneratorFunction(original) };
}

/** The function that replaces the method: inline in a child, a child call otherwise. */
export function wrap(meta: MethodMeta): (this: unknown, ...args: unknown[]) => Promise<unknown> | AsyncGenerator<unknown> {
  const state = globalState();
  const { original } = meta;
  const isolated = function (this: unknown, ...args: unknown[]): Promise<unknown> | AsyncGenerator<unknown> {
    if (state.inChild) {
      // Called in a child while no dispatched call runs: the app's own start-up, unguarded (child/unguarded-entry.ts).
      if (state.childRun?.running === 0) return stopUnguardedCall(labelOf(meta, this));
      // In the child this very wrapper is what gets called: run the real code.
      return original.apply(this, args) as Promise<unknown>;
    }
    return meta.stream ? invokeStream(meta, this, args) : invoke(meta, this, args);
  };
  Object.defineProperty(isolated, 'name', { value: meta.name });
  state.methods.set(isolated, meta);
  return isolated;
}

/** `Class.method` (or the function's id) for messages, from what the call has at hand. */
function labelOf(meta: MethodMeta, self: unknown): string {
  if (meta.kind === 'function') return meta.name;
  const owner = meta.kind === 'static' ? self : (self as { constructor?: unknown } | null | undefined)?.constructor;
  return `${typeof owner === 'function' ? owner.name : (meta.owner?.name ?? '?')}.${meta.name}`;
}

// With emitDecoratorMetadata + reflect-metadata, parameter classes are known
// up front and are registered so their instances can cross without ceremony.
const NOT_A_USER_CLASS = new Set<unknown>([
  Object,
  String,
  Number,
  Boolean,
  Array,
  Function,
  Promise,
  Date,
  Map,
  Set,
  RegExp,
  Symbol,
  BigInt,
  Error,
  URL,
  AbortSignal,
]);

function registerParamTypes(target: object, key: string | symbol): void {
  const reflect = Reflect as unknown as { getMetadata?: (k: string, t: object, p: string | symbol) => unknown };
  const types = reflect.getMetadata?.('design:paramtypes', target, key);
  if (!Array.isArray(types)) return;
  for (const type of types) {
    if (typeof type === 'function' && !NOT_A_USER_CLASS.has(type) && type.prototype && !ArrayBuffer.isView(type.prototype)) {
      const registry = globalState().registry.classRegistry;
      if (registry.getIdentifier(type as never) === undefined && type.name) registerClass(type as never);
    }
  }
}

function isTc39Context(value: unknown): value is ClassMethodDecoratorContext | ClassMemberDecoratorContext {
  return typeof value === 'object' && value !== null && 'kind' in value && 'name' in value;
}
