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
  const state = globalState();
  // An entry that asks before its first call guards its start-up: the parent's main-script warning has nothing to add.
  state.guardAsked = true;
  return state.inChild;
}
