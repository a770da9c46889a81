import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** What compiling and resolving an isolated module needs from the project's tsconfig.json (or jsconfig.json). */
export interface ProjectSettings {
  /** The tsconfig's path, or undefined without one. */
  readonly file: string | undefined;
  readonly experimentalDecorators: boolean;
  readonly emitDecoratorMetadata: boolean;
  /** Where `paths` are relative to: `baseUrl`, else the tsconfig's folder. */
  readonly pathsBase: string;
  readonly baseUrl: string | undefined;
  readonly paths: Readonly<Record<string, readonly string[]>>;
}

/** The nearest tsconfig.json or jsconfig.json above `from`, with what it `extends` merged in. */
export function readProjectSettings(from: string, projectDir: string): ProjectSettings {
  const file = nearestConfig(from, projectDir);
  const options = file ? compilerOptions(file, 0) : {};
  const baseUrl = typeof options.baseUrl === 'string' ? options.baseUrl : undefined;
  return {
    file,
    experimentalDecorators: options.experimentalDecorators === true,
    emitDecoratorMetadata: options.emitDecoratorMetadata === true,
    pathsBase: baseUrl ?? (typeof options.pathsBase === 'string' ? options.pathsBase : projectDir),
    baseUrl,
    paths: isPaths(options.paths) ? options.paths : {},
  };
}

function nearestConfig(from: string, projectDir: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    for (const name of ['tsconfig.json', 'jsconfig.json']) if (existsSync(join(dir, name))) return join(dir, name);
    if (dir === projectDir || dirname(dir) === dir) return undefined;
  }
}

/** compilerOptions with `baseUrl` made absolute and `pathsBase` (the folder `paths` came from) added. */
function compilerOptions(file: string, depth: number): Record<string, unknown> {
  const config = parseJsonc(readFileSync(file, 'utf8')) as { extends?: unknown; compilerOptions?: Record<string, unknown> };
  const own = { ...(config.compilerOptions ?? {}) };
  if (typeof own.baseUrl === 'string') own.baseUrl = resolve(dirname(file), own.baseUrl);
  if (own.paths !== undefined) own.pathsBase = dirname(file);
  const parents = (Array.isArray(config.extends) ? config.extends : [config.extends]).filter((x) => typeof x === 'string');
  let merged: Record<string, unknown> = {};
  for (const parent of parents) {
    const parentFile = depth < 8 ? resolveExtends(parent as string, dirname(file)) : undefined;
    if (parentFile) merged = { ...merged, ...compilerOptions(parentFile, depth + 1) };
  }
  return { ...merged, ...own };
}

function resolveExtends(name: string, dir: string): string | undefined {
  if (name.startsWith('.') || name.startsWith('/')) {
    const path = resolve(dir, name);
    return existsSync(path) ? path : existsSync(`${path}.json`) ? `${path}.json` : undefined;
  }
  try {
    return createRequire(join(dir, 'package.json')).resolve(name);
  } catch {
    return undefined; // an unresolvable base: its options stay unknown, as tsc would complain anyway
  }
}

/** JSON with comments and trailing commas, as tsconfig.json allows. */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') {
      const end = endOfString(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else out += char;
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

function isPaths(value: unknown): value is Record<string, string[]> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((targets) => Array.isArray(targets) && targets.every((t) => typeof t === 'string'))
  );
}
