import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ProjectSettings } from './tsconfig.js';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'];
/** `./util.js` written for TypeScript's ESM style names `util.ts`. */
const TS_FOR_JS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

/**
 * The app file an import names (relative, or through tsconfig `paths` or
 * `baseUrl`), or undefined for a package, a built-in or anything not found:
 * those stay `require()`s that Node resolves from the compiled file, which
 * sits inside the project, so they find its node_modules.
 */
export function resolveSource(specifier: string, fromFile: string, settings: ProjectSettings): string | undefined {
  if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..')
    return probe(resolve(dirname(fromFile), specifier));
  if (specifier.startsWith('/')) return probe(specifier);
  for (const [pattern, targets] of Object.entries(settings.paths)) {
    const star = matchPattern(pattern, specifier);
    if (star === undefined) continue;
    for (const target of targets) {
      const found = probe(resolve(settings.pathsBase, target.replace('*', star)));
      if (found) return found;
    }
  }
  return settings.baseUrl ? probe(join(settings.baseUrl, specifier)) : undefined;
}

/** What `*` stands for when `specifier` matches a `paths` pattern, or undefined. */
function matchPattern(pattern: string, specifier: string): string | undefined {
  const star = pattern.indexOf('*');
  if (star === -1) return pattern === specifier ? '' : undefined;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  if (!specifier.startsWith(prefix) || !specifier.endsWith(suffix) || specifier.length < prefix.length + suffix.length) return undefined;
  return specifier.slice(prefix.length, specifier.length - suffix.length);
}

function probe(base: string): string | undefined {
  if (isFile(base)) return base;
  for (const [js, tsExtensions] of Object.entries(TS_FOR_JS)) {
    if (!base.endsWith(js)) continue;
    for (const ts of tsExtensions) if (isFile(base.slice(0, -js.length) + ts)) return base.slice(0, -js.length) + ts;
  }
  for (const extension of EXTENSIONS) if (isFile(base + extension)) return base + extension;
  for (const extension of EXTENSIONS) if (isFile(join(base, `index${extension}`))) return join(base, `index${extension}`);
  return undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
