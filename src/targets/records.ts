import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { globalSlot } from '../shared/global-slot.js';
import type { MethodMeta } from './method-meta.js';

/**
 * What the decorators and isolate() recorded in this process, one set for
 * every SDK copy in it (shared/global-slot.ts): the decorators write it, the
 * parent and the child read it.
 */
export interface TargetRecords {
  /**
   * Classes that decorated methods belong to, by `module URL + '#' + class
   * name`, recorded when the class is defined: the child finds a class here
   * when its module doesn't export it (an app's bundle exports nothing).
   */
  readonly classes: Map<string, Function>;
  /** Decorated wrapper function -> what the child needs to run the original. */
  readonly methods: WeakMap<Function, MethodMeta>;
  /** `module URL + '#' + id` -> function-form targets created by `isolate()`. */
  readonly functions: Map<string, MethodMeta>;
  /**
   * In a child loading a CommonJS module for a standard instance method's
   * call: told of each such method as it is decorated, while its class is
   * still alive (child/load-target.ts).
   */
  onInstanceMethodDecorated?: (meta: MethodMeta) => void;
}

export const targetRecords = globalSlot<TargetRecords>('targets', () => ({
  classes: new Map(),
  methods: new WeakMap(),
  functions: new Map(),
}));

/** The record of a decorated method or isolate() function; InvalidOptionError naming what `api` got instead. */
export function isolatedMetaOf(method: Function, api: string): MethodMeta {
  const meta = targetRecords().methods.get(method);
  if (!meta)
    throw new InvalidOptionError(
      'method',
      `${api} takes a method decorated with @Isolated() or a function from isolate(), got ${method?.name || typeof method}`,
    );
  return meta;
}
