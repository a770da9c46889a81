import type { SuperJSONLike } from '../contracts/superjson.js';
import { codecState } from './codec-state.js';

/*
 * The registrations the codec honours: the SDK's own (registerClass(),
 * registerSymbol(), registerCustom(), the classes option), then those of the
 * app's own superjson instance given to configure({ superjson }). The SDK's
 * win when both know an id or a value. Every lookup of the codec goes through
 * here, so args, `this`, results and errors all see both.
 */

/** A custom transformer as the codec uses it (superjson's shape). */
export interface Transformer {
  readonly name: string;
  isApplicable(value: unknown): boolean;
  serialize(value: unknown): unknown;
  deserialize(data: unknown): unknown;
}

function app(): SuperJSONLike | undefined {
  return codecState().appSuperjson;
}

/** The id a class is registered under, if it is. */
export function classId(cls: Function): string | undefined {
  return codecState().registry.classRegistry.getIdentifier(cls as never) ?? app()?.classRegistry.getIdentifier(cls);
}

/** The class registered under `id`. */
export function classById(id: string): Function | undefined {
  const own = codecState().registry.classRegistry.getValue(id) as Function | undefined;
  if (own !== undefined) return own;
  const found = app()?.classRegistry.getValue(id);
  return typeof found === 'function' ? found : undefined;
}

/** The only properties of `cls` that cross (registerClass's `allowProps`), from whichever registry knows the class. */
export function allowedProps(cls: unknown): readonly string[] | undefined {
  const own = codecState().registry.classRegistry;
  if (own.getIdentifier(cls as never) !== undefined) return own.getAllowedProps(cls as never);
  return app()?.classRegistry.getAllowedProps(cls);
}

export function symbolId(sym: symbol): string | undefined {
  return codecState().registry.symbolRegistry.getIdentifier(sym) ?? app()?.symbolRegistry.getIdentifier(sym);
}

export function symbolById(id: string): unknown {
  return codecState().registry.symbolRegistry.getValue(id) ?? app()?.symbolRegistry.getValue(id);
}

export function transformerByName(name: string): Transformer | undefined {
  return (codecState().registry.customTransformerRegistry.findByName(name) ?? app()?.customTransformerRegistry.findByName(name)) as
    | Transformer
    | undefined;
}

/** What classify() asks about each object: undefined when no registry has a transformer (then nothing is asked). */
export interface TransformerLookup {
  findApplicable(value: unknown): Transformer | undefined;
}

/**
 * The transformers for one walk. Looked up once per walk, not per object:
 * asking a superjson registry with no transformers still allocates per call.
 */
export function transformerLookup(): TransformerLookup | undefined {
  const state = codecState();
  const own = state.customTransformers > 0 ? state.registry.customTransformerRegistry : undefined;
  const other =
    state.appSuperjson !== undefined && hasTransformers(state.appSuperjson) ? state.appSuperjson.customTransformerRegistry : undefined;
  if (own === undefined) return other as TransformerLookup | undefined;
  if (other === undefined) return own as unknown as TransformerLookup;
  return { findApplicable: (value) => (own.findApplicable(value) ?? other.findApplicable(value)) as Transformer | undefined };
}

/**
 * Whether the app's instance has any transformer. superjson 2 keeps them in a
 * record named `transfomers` (sic); an instance without it (another version)
 * is asked about every object, to be safe.
 */
function hasTransformers(instance: SuperJSONLike): boolean {
  const record = (instance.customTransformerRegistry as { transfomers?: unknown }).transfomers;
  return typeof record !== 'object' || record === null || Object.keys(record).length > 0;
}
