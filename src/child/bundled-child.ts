import { BUNDLED_CHILD_ENV, bundledChildFlagSet, clearBundledChildFlag } from '../shared/environment.js';
import { globalState } from '../shared/global-state.js';
import { ownUrl } from '../shared/sdk-location.js';
import { startChildLoop } from './child-loop.js';
import { childRun } from './child-run.js';

/**
 * The child side of an app that bundles the SDK: there is no
 * dist/child.cjs, so the parent forks the bundle itself with
 * {@link BUNDLED_CHILD_ENV} set (parent/children/child-process.ts). This runs where
 * the SDK's code is evaluated, which in a bundle comes before the app's own
 * modules (they import it): from here on `isIsolatedChild()` is true, so
 * the app's guarded start-up (`if (!isIsolatedChild()) main()`) is skipped,
 * its decorators only record their classes, and this loop answers the
 * parent. Anywhere else it does nothing but read one variable.
 */
export function startIfBundledChild(): void {
  if (!bundledChildFlagSet() || typeof process.send !== 'function') return;
  clearBundledChildFlag();
  const state = globalState();
  if (state.inChild) return; // another copy of the SDK in this bundle started the loop already
  state.inChild = true;
  startChildLoop();
  // The bundle's own code runs next, as part of this evaluation: name it if it calls an isolated method unguarded.
  const run = childRun();
  run.importing = ownUrl;
  setImmediate(() => {
    if (run.importing === ownUrl) run.importing = undefined;
  });
}
