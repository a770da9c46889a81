/**
 * The SDK's own cache of compiled CommonJS modules, for a Node without
 * `module.enableCompileCache()` (Node 20; compile-cache.ts uses Node's own
 * where it exists): a fresh child then reads the code of the user's module
 * and of its dependencies (typescript: 9 MB) from the folder instead of
 * compiling it again.
 *
 * It takes over `Module.prototype._compile`, as v8-compile-cache does:
 * a module is compiled as a `vm.Script` of Node's own wrapper, with the
 * cached bytes of its entry (module-cache-file.ts) when there is one, and
 * run as Node runs it (the same `require`, `module`, `this`, file name and
 * line and column numbers). After a miss the child writes the entry as it
 * exits, with every function of the module it compiled by then, so the
 * next child compiles none of the code its call ran. Node compiles a
 * module itself (and no entry holds it) where this cache would change what
 * the module sees: one that may start an `import()` (dynamic-import-check.ts),
 * an ES module, a source that doesn't compile as a script, one with a source
 * map while source maps are on, and every module under a policy manifest.
 * Modules under {@link MIN_SOURCE_CHARS} are left to Node too: hashing and a
 * file per module would cost more than compiling them.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Script } from 'node:vm';
import { mayImportDynamically } from './dynamic-import-check.js';
import { dropEntry, entryFolder, entryKey, entryPath, readEntry, writeEntry } from './module-cache-file.js';
import { makeRequire, type NodeModule, nodeModuleApi } from './module-require.js';

/** The smallest module worth an entry (characters). */
export const MIN_SOURCE_CHARS = 8192;

/** Node's wrapper around a CommonJS module; the columns of its first line are shifted back by the head's length. */
const HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const TAIL = '\n})';

type Compile = (this: NodeModule, content: string, filename: string, format?: string) => unknown;
type Wrapper = (exports: unknown, require: NodeJS.Require, module: NodeModule, filename: string, dirname: string) => unknown;

/** A module compiled after a miss, whose entry the child writes as it exits. */
interface Missed {
  readonly path: string;
  readonly key: string;
  /** Undefined: "use Node's compiler" is what the entry says. */
  readonly script?: Script;
}

/** What this child's module cache did (read by the tests). */
export interface ModuleCacheCounts {
  hits: number;
  misses: number;
  /** Modules left to Node's compiler for what they contain (not for their size). */
  byNode: number;
  /** Entries found bad and dropped: damaged, cut short, a link, not a file, rejected by V8. */
  dropped: number;
}

/** Where the counts are kept: `globalThis[MODULE_CACHE_COUNTS]`. */
const MODULE_CACHE_COUNTS = Symbol.for('isolated-call.child-module-cache');

/**
 * Installs the cache in `folder` (the private folder the parent checked) for
 * the modules compiled from now on; `own` is the caller's module, whose
 * Node-set flags the cache copies. False when it can't (no private subfolder).
 */
export function installModuleCache(folder: string, own: NodeModule): boolean {
  const found = nodeModuleApi(own);
  if (found === undefined) return false;
  const api = found;
  const subfolder = entryFolder(folder);
  if (subfolder === undefined) return false;
  const counts: ModuleCacheCounts = { hits: 0, misses: 0, byNode: 0, dropped: 0 };
  (globalThis as Record<symbol, unknown>)[MODULE_CACHE_COUNTS] = counts;
  const missed: Missed[] = [];
  const nodeCompile = api.Module.prototype._compile as Compile;
  const { executing } = api;

  function compile(this: NodeModule, content: string, filename: string, format?: string): unknown {
    if (
      format === 'module' ||
      typeof content !== 'string' ||
      content.length < MIN_SOURCE_CHARS ||
      leftToNode(content, filename, api.policy)
    ) {
      return nodeCompile.call(this, content, filename, format);
    }
    let wrapper: Wrapper | undefined;
    try {
      wrapper = cached(content, filename);
    } catch {
      // the cache failed (hashing, reading): Node compiles the module as if there were none
    }
    if (wrapper === undefined) return nodeCompile.call(this, content, filename, format);
    const require = makeRequire(this, api.Module);
    // Node's own flag for "this module is running" (a require() of an ES module checks it for cycles).
    if (executing) this[executing] = true;
    const result = wrapper.call(this.exports, this.exports, require, this, filename, dirname(filename));
    if (executing) this[executing] = false;
    return result;
  }

  /** The module's wrapper, compiled with its entry; undefined when Node's compiler is to compile it. */
  function cached(content: string, filename: string): Wrapper | undefined {
    const key = entryKey(filename, content);
    const path = entryPath(subfolder as string, key);
    const entry = readEntry(path, key);
    if (entry.kind === 'none' && entry.dropped) counts.dropped++;
    if (entry.kind === 'node' || (entry.kind === 'none' && mayImportDynamically(content))) {
      counts.byNode++;
      if (entry.kind === 'none') missed.push({ path, key });
      return undefined;
    }
    const cachedData = entry.kind === 'code' ? entry.data : undefined;
    let script: Script;
    try {
      script = new Script(HEAD + content + TAIL, { filename, columnOffset: -HEAD.length, cachedData });
    } catch {
      // Not a script (an ES module's syntax, a hashbang, a syntax error): Node compiles it, or says what is wrong.
      counts.byNode++;
      missed.push({ path, key });
      return undefined;
    }
    if (cachedData && !script.cachedDataRejected) counts.hits++;
    else {
      if (cachedData) {
        counts.dropped++;
        dropEntry(path);
      }
      counts.misses++;
      missed.push({ path, key, script });
    }
    return script.runInThisContext() as Wrapper;
  }

  api.Module.prototype._compile = compile;
  // As the child exits, after its reply: each entry holds what the child compiled by then.
  process.once('exit', () => {
    for (const { path, key, script } of missed) {
      try {
        writeEntry(path, key, script ? script.createCachedData() : new Uint8Array(0));
      } catch {
        // no entry this time: the next child compiles the module again
      }
    }
  });
  return true;
}

/** Node's compiler keeps what this cache would lose: a policy's checks, a source map (inline, or a file that is there). */
function leftToNode(content: string, filename: string, policy: boolean): boolean {
  if (policy) return true;
  if ((process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled !== true) return false;
  const at = content.lastIndexOf('sourceMappingURL=');
  if (at === -1) return false;
  const url = /^[^\s'"`]*/.exec(content.slice(at + 17, at + 17 + 4096))?.[0] ?? '';
  // typescript.js names a typescript.js.map its package doesn't ship: nothing for Node to map with.
  try {
    return url.startsWith('data:') || existsSync(url.startsWith('file:') ? new URL(url) : resolve(dirname(filename), decodeURI(url)));
  } catch {
    return true;
  }
}
