import { globalState } from './shared/global-state.js';

/**
 * True inside a child started by isolated-call. Use it to skip module-level
 * side effects (starting a server, reading config) that the child, which
 * imports the same module to find the method, must not repeat.
 *
 * @example
 * if (!isIsolatedChild()) app.listen(3000);
 */
export function isIsolatedChild(): boolean {
  return globalState().inChild;
}
