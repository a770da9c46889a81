import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The file a module argument names, or undefined for a package name or a
 * built-in. A file is given as a path (`./lib/parse.js`, `../x.ts`, an
 * absolute path or a `file:` URL), as in an import; a bare name such as
 * `chart.js` is a package.
 */
export function localPath(spec: string, cwd: string): string | undefined {
  if (spec.startsWith('file:')) return fileURLToPath(spec);
  if (/^\.\.?(?:[\\/]|$)/.test(spec) || isAbsolute(spec)) return resolve(cwd, spec);
  return undefined;
}

/** A TypeScript file: the child needs a loader for it. */
export function isTypeScriptPath(path: string): boolean {
  return /\.[cm]?tsx?$/.test(path);
}
