import { codecState } from '../codec/codec-state.js';
import type { SuperJSONLike } from '../contracts/superjson.js';
import { processDefaults } from './process-defaults.js';
import { resolveProcessOptions } from './resolve.js';
import type { ProcessOptions } from './types.js';

/** Options of `configure()`: defined with the other options, in src/options/types.ts. */
export type { ProcessOptions } from './types.js';

/**
 * Sets defaults for every isolated method in this process (for example
 * `execArgv` for a test suite). Options written on a decorator still win.
 * Each call replaces the previous defaults; methods pick them up at their next call.
 *
 * @throws InvalidOptionError naming a bad option.
 */
export function configure(options: ProcessOptions): void {
  const { maxChildren, superjson, defaults } = resolveProcessOptions(options);
  const state = processDefaults();
  if (maxChildren !== undefined) state.maxChildren = maxChildren;
  // The validator has made the SuperJSON class its default instance already.
  if (superjson !== undefined) codecState().appSuperjson = (superjson as SuperJSONLike | null) ?? undefined;
  state.defaults = defaults;
  state.defaultsVersion++;
}
