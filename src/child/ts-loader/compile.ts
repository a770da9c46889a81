/**
 * One TypeScript file to JavaScript with esbuild, the way tsx does it, for
 * the child's own small TypeScript loader (hooks.ts, preload.ts). esbuild's
 * build API with `bundle: false` reads the tsconfig.json nearest to the file
 * (and what it extends), so the decorator dialect (`experimentalDecorators`)
 * and class-field semantics are the project's, as under tsc or tsx. Outputs
 * are kept for the next child (transform-cache.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as Esbuild from 'esbuild';
import { cacheKey, readCached, writeCached } from './transform-cache.js';

export type ModuleFormat = 'module' | 'commonjs';

/** What esbuild is asked for: the same for the sync (require) and async (import) paths. */
export function buildOptions(file: string, format: ModuleFormat): Esbuild.BuildOptions & { write: false } {
  return {
    entryPoints: [file],
    // Never written: the output's folder makes the source map name the source relative to it, wherever the child runs.
    outdir: dirname(file),
    bundle: false,
    write: false,
    format: format === 'module' ? 'esm' : 'cjs',
    platform: 'node',
    target: `node${process.versions.node}`,
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'silent',
    // An ESM .ts file keeps its own URL, so import.meta.url and relative reads are the source file's.
    supported: { 'dynamic-import': true },
  };
}

/** The compiled text, or the esbuild errors as one Error naming the file. */
export function outputOf(file: string, result: Esbuild.BuildResult<{ write: false }>): string {
  const text = result.outputFiles?.[0]?.text;
  if (text === undefined) throw new Error(`isolated-call: esbuild produced no output for ${file}`);
  return text;
}

let esbuildVersion: string | undefined;

/** esbuild's version from the package.json beside its main file (lib/main.js), without loading esbuild. */
function versionOf(esbuildMain: string): string {
  if (esbuildVersion === undefined) {
    try {
      esbuildVersion = String(
        (JSON.parse(readFileSync(join(dirname(esbuildMain), '..', 'package.json'), 'utf8')) as { version?: unknown }).version,
      );
    } catch {
      esbuildVersion = 'unknown';
    }
  }
  return esbuildVersion;
}

/**
 * The file's JavaScript from the transform cache, else from `compile` (then
 * cached). A cache that can't be read or written only costs a compile.
 */
export function cached<T extends string | Promise<string>>(
  file: string,
  format: ModuleFormat,
  esbuildMain: string,
  compile: () => T,
): T | string {
  let key: string | undefined;
  try {
    key = cacheKey(file, format, versionOf(esbuildMain));
    const hit = readCached(file, format, key);
    if (hit !== undefined) return hit;
  } catch {
    key = undefined;
  }
  const output = compile();
  if (key === undefined) return output;
  const store = (code: string) => {
    writeCached(file, format, key as string, code);
    return code;
  };
  return (typeof output === 'string' ? store(output) : output.then(store)) as T | string;
}
