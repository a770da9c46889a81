/**
 * The program a child process runs (dist/child.cjs): the child loop
 * (child-loop.ts), started before any user module loads. A standby child
 * also loads the SDK's builds while it waits.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PRELOAD_FLAG } from '../protocol/messages.js';
import { globalState } from '../shared/global-state.js';
import { startChildLoop } from './child-loop.js';

// Before any user module loads: decorated methods now run inline.
globalState().inChild = true;
startChildLoop();

if (process.argv.includes(PRELOAD_FLAG)) preloadBuilds();

/**
 * A standby child has time to spare before its call: most of a fresh child's
 * time after start-up goes to the user's module importing this package (and,
 * for ESM, to starting Node's ESM loader). Doing both now leaves the call
 * only the user's own module to load. Failures are ignored: the call will
 * load whatever it needs anyway.
 */
function preloadBuilds(): void {
  setImmediate(() => {
    try {
      require(join(__dirname, 'index.cjs'));
    } catch {
      // not there (a custom build); nothing lost
    }
    import(pathToFileURL(join(__dirname, 'index.js')).href).catch(() => {});
  });
}
