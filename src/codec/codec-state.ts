import type SuperJSON from 'superjson';
import type { SuperJSONLike } from '../contracts/superjson.js';
import { globalSlot } from '../shared/global-slot.js';

/** The codec's registrations, one set per process (shared/global-slot.ts). */
export interface CodecState {
  /**
   * The SDK's private superjson instance, used for its registries
   * (`registerClass`, `registerSymbol`, `registerCustom`). Never the global
   * default instance, so a user's own superjson set-up is left alone.
   */
  readonly registry: SuperJSON;
  /**
   * The app's own superjson instance, from `configure({ superjson })`: the
   * codec honours its registrations after the SDK's own (registrations.ts).
   */
  appSuperjson?: SuperJSONLike;
  /** How many custom transformers were registered; 0 lets the codec skip looking them up. */
  customTransformers: number;
}

export const codecState = globalSlot<CodecState>('codec', () => ({
  get registry(): SuperJSON {
    // Created on first use: a call whose data is plain never needs it, and
    // evaluating superjson is a measurable part of a fresh child's start.
    const registry = createRegistry();
    Object.defineProperty(this, 'registry', { value: registry });
    return registry;
  },
  customTransformers: 0,
}));

/**
 * superjson is bundled (see tsup.config.ts). A require() of a bundled ES
 * module makes esbuild evaluate it lazily, at this call, in both builds.
 */
function createRegistry(): SuperJSON {
  const { default: SuperJSONClass } = require('superjson') as typeof import('superjson');
  return new SuperJSONClass();
}
