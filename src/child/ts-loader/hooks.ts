/**
 * Node module hooks (module.register) for a child that imports TypeScript:
 * only `.ts`/`.mts`/`.cts`/`.tsx` files are compiled (esbuild), and only an
 * import that fails from a TypeScript file is retried with TypeScript's
 * extensions. Everything else goes straight to Node's own resolve and load:
 * a full loader (tsx) reads, lexes and format-detects every module the child
 * loads, a heavy dependency's megabytes of JavaScript included.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';
import { buildOptions, esbuildTool, outputOf, type ModuleFormat } from './compile.js';
import { cached } from './transform-cache.js';

interface ResolveContext {
  parentURL?: string;
  conditions?: string[];
  importAttributes?: Record<string, string>;
}
interface Resolved {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
interface Loaded {
  format: string;
  source?: string | ArrayBuffer | null;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<Resolved>;
type NextLoad = (url: string, context?: { format?: string | null }) => Promise<Loaded>;

const TYPESCRIPT = /\.(?:[cm]?ts|tsx)$/;
let esbuildPath = '';
let esbuild: Promise<typeof Esbuild> | undefined;

export function initialize(data: { esbuild?: string } | undefined): void {
  esbuildPath = data?.esbuild ?? '';
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<Resolved> {
  try {
    return await next(specifier, context);
  } catch (error) {
    const parent = context.parentURL;
    if (!parent?.startsWith('file:') || !TYPESCRIPT.test(new URL(parent).pathname) || !isRelative(specifier)) throw error;
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_UNSUPPORTED_DIR_IMPORT') throw error;
    for (const candidate of typeScriptCandidates(specifier)) {
      try {
        return await next(candidate, context);
      } catch {
        // not this one
      }
    }
    throw error;
  }
}

export async function load(url: string, context: { format?: string | null }, next: NextLoad): Promise<Loaded> {
  if (!url.startsWith('file:')) return next(url, context);
  const file = fileURLToPath(url);
  if (!TYPESCRIPT.test(file)) return next(url, context);
  const format = formatOf(file);
  const source = await cached(file, format, esbuildTool(esbuildPath), async () => {
    esbuild ??= import(esbuildPath || 'esbuild') as Promise<typeof Esbuild>;
    return outputOf(file, await (await esbuild).build(buildOptions(file, format)));
  });
  return { format, source, shortCircuit: true };
}

function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || specifier.startsWith('file:');
}

/** `./a.js` → `./a.ts`, `./a.tsx`; `./a` → `./a.ts`, `./a.tsx`, `./a.js`, `./a/index.*`; `.mjs`/`.cjs` → `.mts`/`.cts`. */
export function typeScriptCandidates(specifier: string): string[] {
  const [path = '', rest = ''] = specifier.split(/(?=[?#])/, 2);
  const swap = (from: RegExp, ...to: string[]) => to.map((ext) => path.replace(from, ext) + rest);
  if (/\.js$/.test(path)) return swap(/\.js$/, '.ts', '.tsx');
  if (/\.mjs$/.test(path)) return swap(/\.mjs$/, '.mts');
  if (/\.cjs$/.test(path)) return swap(/\.cjs$/, '.cts');
  if (/\.jsx$/.test(path)) return swap(/\.jsx$/, '.tsx');
  if (/\.[cm]?tsx?$/.test(path)) return [];
  const base = path.replace(/\/$/, '');
  // Extensionless, as TypeScript's bundler and node10 resolution write it: a .js file too.
  return ['.ts', '.tsx', '.js', '/index.ts', '/index.tsx', '/index.js'].map((ext) => base + ext + rest);
}

const packageTypes = new Map<string, string>();

/** `.mts` is ESM, `.cts` CommonJS, `.ts`/`.tsx` what the nearest package.json's "type" says (as tsc and tsx decide). */
function formatOf(file: string): ModuleFormat {
  if (file.endsWith('.mts')) return 'module';
  if (file.endsWith('.cts')) return 'commonjs';
  return packageTypeOf(dirname(file)) === 'module' ? 'module' : 'commonjs';
}

function packageTypeOf(dir: string): string {
  let type = packageTypes.get(dir);
  if (type === undefined) {
    try {
      type = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: string }).type ?? 'commonjs';
    } catch {
      type = dirname(dir) === dir ? 'commonjs' : packageTypeOf(dirname(dir));
    }
    packageTypes.set(dir, type);
  }
  return type;
}
