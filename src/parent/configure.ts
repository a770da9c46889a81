import { resolveProcessOptions } from '../options/resolve.js';
import type { ProcessOptions } from '../options/types.js';
import type { SuperJSONLike } from '../options/types.js';
import { globalState } from '../shared/global-state.js';

/** Options of `configure()`: defined with the other options, in src/options/types.ts. */
export type { ProcessOptions } from '../options/types.js';

/**
 * Sets defaults for every isolated method in this process (for example
 * `execArgv` for a test suite). Options written on a decorator still win.
 * Each call replaces the previous defaults; methods pick them up at their next call.
 *
 * @throws InvalidOptionError naming a bad option.
 */
export function configure(options: ProcessOptions): void {
  const { maxChildren, superjson, defaults } = resolveProcessOptions(options);
  const state = globalState();
  if (maxChildren !== undefined) state.maxChildren = maxChildren;
  // The validator has made the SuperJSON class its default instance already.
  if (superjson !== undefined) state.appSuperjson = (superjson as SuperJSONLike | null) ?? undefined;
  state.defaults = defaults;
  state.defaultsVersion++;
}
