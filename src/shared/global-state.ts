import { availableParallelism } from 'node:os';
import type SuperJSON from 'superjson';
import type { ChildRun } from '../child/child-run.js';
import type { MethodMeta } from '../decorator/method-meta.js';
import { createRegistryState, type ChildRegistry } from './registry-state.js';
import type { IsolatedOptions } from '../options/types.js';
import type { SuperJSONLike } from '../options/types.js';

/**
 * Everything that must be one per process, whichever copy of the SDK reads it.
 *
 * A process can hold two copies of this package at once: the child entry is a
 * CommonJS bundle, while the user's module may import the ESM build (and a
 * parent may mix `require` and `import`). Registries kept in module scope
 * would split in two, so they live on `globalThis` under a `Symbol.for` key
 * that every copy agrees on.
 */
export interface GlobalState {
  /** Set by the child entry before it loads any user module. */
  inChild: boolean;
  /** In a child: what its loop is doing (child/child-run.ts). */
  childRun?: ChildRun;
  /**
   * Classes that decorated methods belong to, by `module URL + '#' + class
   * name`, recorded when the class is defined: the child finds a class here
   * when its module doesn't export it (an app's bundle exports nothing).
   */
  readonly classes: Map<string, Function>;
  /**
   * In a child loading a CommonJS module for a standard instance method's
   * call: told of each such method as it is decorated, while its class is
   * still alive (child/load-target.ts).
   */
  onInstanceMethodDecorated?: (meta: MethodMeta) => void;
  /** Whether this process has asked `isIsolatedChild()`: an entry that guards its start-up does, before any call. */
  guardAsked: boolean;
  /** Decorated wrapper function -> what the child needs to run the original. */
  readonly methods: WeakMap<Function, MethodMeta>;
  /** `module URL + '#' + id` -> function-form targets created by `isolate()`. */
  readonly functions: Map<string, MethodMeta>;
  /**
   * The SDK's private superjson instance, used for its registries
   * (`registerClass`, `registerSymbol`, `registerCustom`). Never the global
   * default instance, so a user's own superjson set-up is left alone.
   */
  readonly registry: SuperJSON;
  /**
   * The app's own superjson instance, from `configure({ superjson })`: the
   * codec honours its registrations after the SDK's own (codec/registrations.ts).
   */
  appSuperjson?: SuperJSONLike;
  /** How many custom transformers were registered; 0 lets the codec skip looking them up. */
  customTransformers: number;
  /** Process-wide defaults set by `configure()`. */
  defaults: IsolatedOptions;
  /** Bumped by `configure()`, so methods re-resolve their options. */
  defaultsVersion: number;
  /** Process-wide cap on live children, across all methods. */
  maxChildren: number;
  /** Every child and pool of this process, whichever SDK copy started it (shared/registry-state.ts). */
  readonly children: ChildRegistry;
}

// v2: the children registry joined the state; a v1 copy in the same process keeps its own.
// v3: the decorators' class records, the child's run state and guardAsked joined it (bundled apps).
const STATE_KEY = Symbol.for('isolated-call.state.v3');

type StateHolder = { [STATE_KEY]?: GlobalState };

export function globalState(): GlobalState {
  const holder = globalThis as StateHolder;
  return (holder[STATE_KEY] ??= {
    inChild: false,
    classes: new Map(),
    guardAsked: false,
    methods: new WeakMap(),
    functions: new Map(),
    get registry(): SuperJSON {
      // Created on first use: a call whose data is plain never needs it, and
      // evaluating superjson is a measurable part of a fresh child's start.
      const registry = createRegistry();
      Object.defineProperty(this, 'registry', { value: registry });
      return registry;
    },
    customTransformers: 0,
    defaults: {},
    defaultsVersion: 0,
    maxChildren: Math.max(4, availableParallelism() * 2),
    children: createRegistryState(),
  });
}

/**
 * superjson is bundled (see tsup.config.ts). A require() of a bundled ES
 * module makes esbuild evaluate it lazily, at this call, in both builds.
 */
function createRegistry(): SuperJSON {
  const { default: SuperJSONClass } = require('superjson') as typeof import('superjson');
  return new SuperJSONClass();
}
