/**
 * One TypeScript file to JavaScript with esbuild, the way tsx does it, for
 * the child's own small TypeScript loader (hooks.ts, preload.ts). esbuild's
 * build API with `bundle: false` reads the tsconfig.json nearest to the file
 * (and what it extends), so the decorator dialect (`experimentalDecorators`)
 * and class-field semantics are the project's, as under tsc or tsx.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as Esbuild from 'esbuild';

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

/** `esbuild@<version>`, from the package.json beside its main file (lib/main.js), without loading esbuild: part of the cache key. */
export function esbuildTool(esbuildMain: string): string {
  if (esbuildVersion === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(join(dirname(esbuildMain), '..', 'package.json'), 'utf8')) as { version?: unknown };
      esbuildVersion = `esbuild@${String(pkg.version)}`;
    } catch {
      esbuildVersion = 'esbuild@unknown';
    }
  }
  return esbuildVersion;
}
