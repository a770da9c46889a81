import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { registerClass } from '../codec/register.js';
import { resolveOptions } from '../options/resolve.js';
import type { IsolatedOptions } from '../options/types.js';
import { codecState } from '../codec/codec-state.js';
import { targetRecords } from '../targets/records.js';
import { findCallerModule } from '../shared/caller-module.js';
import { isAsyncGeneratorFunction } from './is-async-generator-function.js';
import { recordClass } from '../targets/class-record.js';
import type { IsolatedDecorator } from './isolated-decorator.js';
import type { MethodMeta } from '../targets/method-meta.js';
import type { Wrap } from './wrap.js';

/**
 * The body of `@Isolated(options)`, in both dialects: records the method and
 * its class and replaces the method with `wrap(meta)`. The parent's build
 * wraps with a child call; a child's build (child/child-api.ts) with a
 * wrapper that runs the method inline, so a child never loads the parent's
 * machinery.
 */
export function isolatedDecorator(options: IsolatedOptions | undefined, wrap: Wrap): IsolatedDecorator {
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
      else targetRecords().onInstanceMethodDecorated?.(meta);
      return wrap(meta);
    }
    if (isElementDescriptor(value, second)) throw new InvalidOptionError('@Isolated', ELEMENT_DESCRIPTOR_DIALECT);
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
      const registry = codecState().registry.classRegistry;
      if (registry.getIdentifier(type as never) === undefined && type.name) registerClass(type as never);
    }
  }
}

/**
 * The 2018-09 proposal's decorators get one element descriptor. Next.js's SWC
 * compiles `@` so for a tsconfig.json without experimentalDecorators; the
 * class isn't known by a name a child could find, and a minifier renames it.
 */
const ELEMENT_DESCRIPTOR_DIALECT =
  'was compiled as a decorator of the 2018-09 proposal (Next.js compiles decorators so when tsconfig.json has no ' +
  '"experimentalDecorators"), which isolated-call does not support. In a Next.js app, wrap the config in next.config: ' +
  "`export default withIsolatedCall(nextConfig)` with `import { withIsolatedCall } from 'isolated-call/next'`; elsewhere set " +
  '"experimentalDecorators": true in tsconfig.json, or compile standard decorators (TypeScript 5 without that setting)';

function isElementDescriptor(value: unknown, second: unknown): boolean {
  return second === undefined && typeof value === 'object' && value !== null && 'kind' in value && 'key' in value && 'placement' in value;
}

function isTc39Context(value: unknown): value is ClassMethodDecoratorContext | ClassMemberDecoratorContext {
  return typeof value === 'object' && value !== null && 'kind' in value && 'name' in value;
}
