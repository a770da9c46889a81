/**
 * The child's own TypeScript loader (dist/ts-loader.cjs), preloaded with
 * `--require` in place of tsx when esbuild can be found: a require hook for
 * CommonJS TypeScript and module hooks (hooks.ts, dist/ts-hooks.mjs) for ES
 * modules. Both compile only TypeScript files and leave all other modules to
 * Node, which is what makes a fresh child under it nearly as fast as one
 * running compiled JavaScript (see docs/how-it-works.md, "TypeScript in the
 * child"). The parent passes esbuild's path in ISOLATED_CALL_ESBUILD.
 */
import Module, { createRequire, register } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import type * as Esbuild from 'esbuild';
import { esbuildPathGiven } from '../../shared/environment.js';
import { buildOptions, esbuildTool, outputOf } from './compile.js';
import { cached } from './transform-cache.js';
import { typeScriptCandidates } from './hooks.js';

interface CompilableModule {
  _compile(code: string, filename: string): void;
}
interface ModuleInternals {
  _extensions: Record<string, (module: CompilableModule, filename: string) => void>;
  _resolveFilename(request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]): string;
}

const esbuildPath = esbuildPathGiven();
const internals = Module as unknown as ModuleInternals;
let esbuild: typeof Esbuild | undefined;

for (const extension of ['.ts', '.cts', '.tsx']) {
  if (internals._extensions[extension]) continue; // another loader got there first
  internals._extensions[extension] = (module, filename) => {
    const code = cached(filename, 'commonjs', esbuildTool(esbuildPath), () => {
      esbuild ??= createRequire(__filename)(esbuildPath || 'esbuild') as typeof Esbuild;
      return outputOf(filename, esbuild.buildSync(buildOptions(filename, 'commonjs')));
    });
    module._compile(code, filename);
  };
}

// `require('./util.js')` from a .ts file means util.ts (TypeScript's own convention), as under tsx.
const resolveFilename = internals._resolveFilename;
internals._resolveFilename = function (request, parent, ...rest) {
  try {
    return resolveFilename.call(this, request, parent, ...rest);
  } catch (error) {
    if (!/\.[cm]?tsx?$/.test(parent?.filename ?? '') || !/^\.\.?\//.test(request)) throw error;
    for (const candidate of typeScriptCandidates(request)) {
      try {
        return resolveFilename.call(this, candidate, parent, ...rest);
      } catch {
        // not this one
      }
    }
    throw error;
  }
};

// A `--require` preload runs in every thread, Node's own hooks thread included, where registering again would put the
// hooks in the chain twice. Only the main thread registers them; a worker the method starts gets the require hook.
if (isMainThread) {
  register(pathToFileURL(`${dirname(__filename)}/ts-hooks.mjs`).href, { data: { esbuild: esbuildPath } });
  // Stack traces name the .ts lines (each compiled file carries an inline source map), as under tsx.
  process.setSourceMapsEnabled(true);
}
