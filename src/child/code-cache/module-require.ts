/**
 * What the module cache (module-cache.ts) needs of Node's CommonJS loader
 * to run a module as Node does: the `require` a module gets (Node's
 * makeRequireFunction, without a policy manifest's redirects: the cache is
 * off under a policy), and Node's flag for a module whose code is running.
 */
import { createRequire } from 'node:module';

/** A module as Node's CommonJS loader holds it. */
export type NodeModule = NodeJS.Module & { [flag: symbol]: unknown };

/** The loader's class, with the internals a module's `require` uses. */
export interface ModuleClass {
  prototype: { _compile: unknown };
  _resolveFilename(request: string, parent: NodeModule, isMain: boolean, options?: { paths?: string[] }): string;
  _resolveLookupPaths(request: string, parent: NodeModule): string[] | null;
  _extensions: NodeJS.RequireExtensions;
  _cache: NodeJS.Dict<NodeJS.Module>;
}

export interface NodeModuleApi {
  readonly Module: ModuleClass;
  /** Node's `kIsExecuting`, read off a module Node ran; undefined where Node has none. */
  readonly executing: symbol | undefined;
  /** A policy manifest checks each module's integrity in Node's compiler. */
  readonly policy: boolean;
}

/** Node's loader as seen from `own` (a module Node itself compiled); undefined when it isn't what the cache expects. */
export function nodeModuleApi(own: NodeModule): NodeModuleApi | undefined {
  const Module = createRequire(own.filename)('node:module') as ModuleClass;
  const internals = [Module._resolveFilename, Module._resolveLookupPaths, Module.prototype._compile];
  if (internals.some((fn) => typeof fn !== 'function') || typeof Module._extensions !== 'object') return undefined;
  const executing = Object.getOwnPropertySymbols(own).find((symbol) => symbol.description === 'kIsExecuting');
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  return { Module, executing, policy: /--(?:experimental-policy|policy-integrity)\b/.test(flags) };
}

/** The `require` Node gives module `mod`. */
export function makeRequire(mod: NodeModule, Module: ModuleClass): NodeJS.Require {
  const require = function require(id: string) {
    return mod.require(id);
  } as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) =>
    Module._resolveFilename(checked(request), mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => Module._resolveLookupPaths(checked(request), mod);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

function checked(request: unknown): string {
  if (typeof request === 'string') return request;
  const error = new TypeError(`The "request" argument must be of type string. Received ${typeof request}`);
  (error as NodeJS.ErrnoException).code = 'ERR_INVALID_ARG_TYPE';
  throw error;
}
