import type { IsolatedOptions } from '../options/types.js';

/** What a decorated method (or an `isolate()` function) carries, recorded at decoration time. */
export interface MethodMeta {
  readonly kind: 'instance' | 'static' | 'function';
  /** Method name, or the function's id for `isolate()`. */
  readonly name: string;
  /** The user's own implementation. */
  readonly original: Function;
  /** Options as written on the decorator; resolved at call time against `configure()`. */
  readonly options: IsolatedOptions | undefined;
  /** File URL of the module where the decorator ran, if it could be found. */
  readonly detectedModule: string | undefined;
  /** The class, when the decorator dialect tells us (legacy, or TC39 static). */
  owner: Function | undefined;
  /** An async generator function (`async *`), told by its constructor at decoration time: the call is a stream. */
  readonly stream?: boolean;
}
