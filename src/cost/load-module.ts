import { createRequire, isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isCommonJsTypeScript, packageType } from '../shared/module-format.js';
import { isTypeScriptPath, localPath } from './module-spec.js';
import type { ModuleFormat } from './report.js';

/** A module loaded by the measuring child, held until `release()`. */
export interface LoadedModule {
  readonly format: ModuleFormat;
  /**
   * Drops every reference the child holds, and for a CommonJS module every
   * entry its import added to require.cache: the "de-import" that frees
   * what can be freed. An ES module stays in Node's module map for good.
   */
  release(): void;
}

/**
 * Loads `spec` as the user's project would: a built-in by name, a file by
 * its path from `cwd`, a package resolved from `cwd` (resolvePackage).
 * `spec` is only ever resolved, never evaluated.
 */
export async function loadModule(spec: string, cwd: string): Promise<LoadedModule> {
  const fromCwd = createRequire(join(cwd, 'noop.js'));
  if (isBuiltin(spec)) {
    fromCwd(spec);
    return { format: 'builtin', release() {} };
  }
  const path = localPath(spec, cwd) ?? resolvePackage(spec, cwd);
  if (formatOf(path) === 'esm') {
    const held: { namespace?: unknown } = { namespace: await import(pathToFileURL(path).href) };
    return {
      format: 'esm',
      release() {
        delete held.namespace;
      },
    };
  }
  const cached = new Set(Object.keys(fromCwd.cache));
  // A require() of its own: the module it creates lists the loaded one as a child, and goes with it.
  const held: { exports?: unknown } = { exports: createRequire(path)(path) };
  return {
    format: 'commonjs',
    release() {
      delete held.exports;
      for (const key of Object.keys(fromCwd.cache)) if (!cached.has(key)) delete fromCwd.cache[key];
    },
  };
}

/**
 * The package's entry file, as the project's own .js files would import it:
 * with `import` conditions first in a `"type": "module"` project, else with
 * `require` ones (a dual package such as prettier has a different entry for
 * each), then the other way for a package that only exports one.
 */
function resolvePackage(spec: string, cwd: string): string {
  const base = join(cwd, 'noop.js');
  const byRequire = () => createRequire(base).resolve(spec);
  // Needs --experimental-import-meta-resolve (the parent passes it) for the second argument.
  const byImport = () => {
    const url = import.meta.resolve(spec, pathToFileURL(base).href);
    if (!url.startsWith('file:')) throw new Error(`"${spec}" resolves to ${url}, not a file`);
    return fileURLToPath(url);
  };
  const [first, second] = packageType(cwd) === 'module' ? [byImport, byRequire] : [byRequire, byImport];
  try {
    return first();
  } catch (firstError) {
    try {
      return second();
    } catch {
      throw new Error(`cannot find "${spec}" from ${cwd}: ${firstLine(firstError)}`);
    }
  }
}

/** How Node would load the file: ES module or CommonJS (a TypeScript file as the child's loader compiles it). */
function formatOf(path: string): 'esm' | 'commonjs' {
  if (/\.m[jt]s$/.test(path)) return 'esm';
  if (/\.c[jt]s$/.test(path)) return 'commonjs';
  if (path.endsWith('.js')) return packageType(dirname(path)) === 'module' ? 'esm' : 'commonjs';
  if (isTypeScriptPath(path)) {
    const hooked = typeof createRequire(path).extensions[/\.tsx?$/.exec(path)?.[0] ?? '.ts'] === 'function';
    return hooked && isCommonJsTypeScript(path) ? 'commonjs' : 'esm';
  }
  return 'commonjs'; // .json, .node, no extension: require() loads them
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
