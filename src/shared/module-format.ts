import { readFileSync } from './node-fs.js';
import { createRequire } from './create-require.js';
import { dirname, join } from 'node:path';

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
