import { codecState } from './codec-state.js';
import type { Class } from '../contracts/call-info.js';

/** How `registerClass` names a class and which of its properties cross. */
export interface RegisterClassOptions {
  /** The id both processes know the class by. Default: the class name. */
  identifier?: string;
  /** Only these own properties cross. Default: all own enumerable properties. */
  allowProps?: string[];
}

/**
 * Lets instances of `cls` (and errors of that class) cross the process
 * boundary with their prototype. Call it in a module that both the parent and
 * the child load, typically the module that defines the isolated method.
 * Same semantics as superjson's `registerClass`.
 */
export function registerClass(cls: Class, options?: RegisterClassOptions | string): void {
  codecState().registry.registerClass(cls as never, options);
}

/** Lets a symbol that isn't from `Symbol.for()` cross, under `identifier`. Same as superjson's `registerSymbol`. */
export function registerSymbol(symbol: symbol, identifier: string): void {
  codecState().registry.registerSymbol(symbol, identifier);
}

/** A custom codec for a type, as in superjson's `registerCustom`. */
export interface CustomTransformer<I, O> {
  /** Does this transformer handle `value`? */
  isApplicable: (value: unknown) => value is I;
  /** Turns the value into plain data (anything structured clone carries). */
  serialize: (value: I) => O;
  /** Rebuilds the value on the other side. */
  deserialize: (data: O) => I;
}

/**
 * Registers a codec for values no other rule handles, under a unique `name`.
 * Register it in a module both processes load. Same semantics as superjson's
 * `registerCustom`; checked before class registrations.
 */
export function registerCustom<I, O>(transformer: CustomTransformer<I, O>, name: string): void {
  const state = codecState();
  state.registry.registerCustom(transformer as never, name);
  state.customTransformers++;
}

/** Registers `cls` under `id` unless it is registered already. */
export function ensureClassRegistered(cls: Function, id: string): void {
  const registry = codecState().registry.classRegistry;
  if (registry.getIdentifier(cls as never) === undefined) registry.register(cls as never, id);
}
