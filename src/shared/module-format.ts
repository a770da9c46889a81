import { readFileSync } from './node-fs.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The "type" of the nearest package.json, as Node decides a .js file's format. */
export function packageType(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    try {
      return (JSON.parse(readFileSync(join(current, 'package.json'), 'utf8')) as { type?: string }).type ?? 'commonjs';
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT') return undefined;
    }
    if (dirname(current) === current) return undefined;
  }
}

/** The two module formats of Node. */
export type ModuleFormat = 'esm' | 'cjs';

/**
 * The format Node (or a TypeScript loader) gives the module at this file
 * URL or path, by its extension and the nearest package.json; undefined when
 * that can't be told (not a file, an unknown extension).
 */
export function moduleFormat(module: string): ModuleFormat | undefined {
  let path: string;
  try {
    path = module.startsWith('file:') ? fileURLToPath(module) : module;
  } catch {
    return undefined;
  }
  if (/\.m[jt]s$/.test(path)) return 'esm';
  if (/\.c[jt]s$/.test(path)) return 'cjs';
  if (!/\.[jt]sx?$/.test(path)) return undefined;
  const type = packageType(dirname(path));
  return type === undefined ? undefined : type === 'module' ? 'esm' : 'cjs';
}

/**
 * A TypeScript file that compiles to CommonJS, as TypeScript's loaders decide:
 * `.cts`, or `.ts`/`.tsx` outside a `"type": "module"` package. Such a module
 * is `require()`d where a require hook (ts-node, `-r @swc/register`, …) is
 * the only loader, since `import()` never reaches require hooks.
 */
export function isCommonJsTypeScript(path: string): boolean {
  if (/\.cts$/.test(path)) return true;
  return /\.tsx?$/.test(path) && packageType(dirname(path)) !== 'module';
}

/** The path `specifier` resolves to from the first of `bases` it resolves from. */
export function resolveFrom(bases: readonly string[], specifier: string): string | undefined {
  for (const base of bases) {
    try {
      return createRequire(base).resolve(specifier);
    } catch {
      // not resolvable from here; try the next place
    }
  }
  return undefined;
}
