/**
 * dist/child.cjs: what a child process runs. It evaluates the child build
 * (dist/child-build.cjs, from child/build-entry.ts) in this very module, so that
 * module is the child's main module and what `isolated-call` resolves to in
 * the child (child/child-api.ts), and compiles it with V8's code cache: a
 * fresh child then deserializes the build's bytecode instead of parsing
 * 150 KB of JavaScript and compiling the functions a call runs.
 *
 * The parent says which cache file, and whether it holds a cache it checked
 * (shared/code-cache-format.ts). The first child (or the first after an
 * upgrade of Node or of the SDK) writes the cache as it exits, with every
 * function it compiled by then. The build's `import()` is this module's,
 * lent to it (shared/dynamic-import.ts).
 */
import { join } from 'node:path';
import { DYNAMIC_IMPORT } from '../../shared/dynamic-import.js';
import { codeCacheOrder, readCodeCache, readWithIdentity, writeCodeCache } from './cache-file.js';

/** How this child got its build's code (read by the tests, and for anyone diagnosing a slow start). */
type CodeCacheStatus = 'hit' | 'miss' | 'rejected' | 'off';

/** Where the status is kept: `globalThis[CODE_CACHE_STATUS]`. */
const CODE_CACHE_STATUS = Symbol.for('isolated-call.child-code-cache');

type ModuleWrapper = (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;

const BUILD = join(__dirname, 'child-build.cjs');

function load(target: NodeJS.Module): CodeCacheStatus {
  const build = readWithIdentity(BUILD);
  const order = codeCacheOrder();
  // The parent named the cache after the bytes it hashed: if these are others (the SDK replaced meanwhile), no cache.
  const cache = order?.build === build.identity ? order : undefined;
  const cachedData = cache?.cache !== undefined ? readCodeCache(cache.file, cache.cache) : undefined;
  const vm = require('node:vm') as typeof import('node:vm');
  // The wrapper Node puts around every CommonJS module, on the build's first line (its line numbers stay right).
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${build.text}\n})`, {
    filename: BUILD,
    cachedData,
  });
  const status: CodeCacheStatus = !cache ? 'off' : !cachedData ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  if (cache && status !== 'hit') {
    // At exit the cache holds every function the child compiled: its next sibling compiles none of them.
    process.once('exit', () => {
      try {
        writeCodeCache(cache.file, script.createCachedData());
      } catch {
        // no cache this time: the next child compiles again
      }
    });
  }
  const wrapper = script.runInThisContext() as ModuleWrapper;
  // The build's `module` is this one: `require.main === module` tells it it is the child's main module (build-entry.ts).
  const { createRequire } = require('node:module') as typeof import('node:module');
  wrapper.call(target.exports, target.exports, createRequire(BUILD), target, BUILD, __dirname);
  return status;
}

Object.defineProperty(globalThis, DYNAMIC_IMPORT, { value: (specifier: string) => import(specifier), configurable: true });
(globalThis as Record<symbol, unknown>)[CODE_CACHE_STATUS] = load(module);
