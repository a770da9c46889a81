/**
 * Compiled TypeScript kept on disk for the next child: a fresh child under
 * the SDK's loader then reads the JavaScript instead of starting esbuild (its
 * Go service, ~100 ms), and one under the typescript require hook instead of
 * loading the TypeScript compiler. One entry per source file and kind,
 * overwritten when the source changes, so the folder holds at most one file
 * per TypeScript file ever run. An entry is its key, the SHA-256 of its
 * output, and the output.
 *
 * The folder is `isolated-call-ts-<uid>` in the OS temp folder, used only
 * when it is this user's private folder (shared/private-folder.ts): its code
 * is run. Entries are written to a temporary name and renamed into place, so
 * concurrent children never read half a file. `ISOLATED_CALL_TS_CACHE=off`
 * turns it off.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { typeScriptCacheOff } from '../../shared/environment.js';
import { privateFolder } from '../../shared/private-folder.js';

/** Bumped when what the loader asks esbuild for changes: older entries then miss. */
const LOADER_VERSION = 1;

let folder: string | null | undefined;

/** The private cache folder, made on first use; null when caching is off or the folder isn't safely ours. */
export function cacheFolder(): string | null {
  if (folder !== undefined) return folder;
  folder = null;
  if (typeScriptCacheOff() || typeof process.getuid !== 'function') return folder;
  folder = privateFolder(join(tmpdir(), `isolated-call-ts-${process.getuid()}`)) ?? null;
  return folder;
}

/**
 * What decides a file's output: the loader, the compiler and its version,
 * the Node version (the target), the format, the file's path and content,
 * and the content of every tsconfig.json from its folder up with the configs
 * they extend by relative path (esbuild reads the nearest, and what it
 * extends). Content, not size and mtime: an edit that keeps both (a
 * reproducible build's fixed timestamps, `rsync -t`, a one-character fix
 * within one clock tick) must not run the old code.
 */
export function cacheKey(file: string, kind: string, tool: string): string {
  return JSON.stringify([LOADER_VERSION, tool, process.versions.node, kind, file, contentHash(file), tsconfigStamps(dirname(file))]);
}

/** The SHA-256 of a file's bytes, as hex. */
function contentHash(file: string): string {
  return sha256(readFileSync(file));
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

const stampsByFolder = new Map<string, string[]>();

function tsconfigStamps(dir: string): string[] {
  let stamps = stampsByFolder.get(dir);
  if (stamps === undefined) {
    const parent = dirname(dir);
    stamps = [...configStamps(join(dir, 'tsconfig.json'), 0), ...(parent === dir ? [] : tsconfigStamps(parent))];
    stampsByFolder.set(dir, stamps);
  }
  return stamps;
}

function configStamps(file: string, depth: number): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const stamp = `${file}:${sha256(text)}`;
  if (depth > 8) return [stamp];
  const extended = /"extends"\s*:\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])/.exec(text)?.[1];
  let targets: unknown[] = [];
  try {
    targets = extended ? (JSON.parse(extended.startsWith('[') ? extended : `[${extended}]`) as unknown[]) : [];
  } catch {
    // not plain JSON: follow nothing
  }
  const relative = targets.filter((t): t is string => typeof t === 'string' && t.startsWith('.'));
  return [stamp, ...relative.flatMap((t) => configStamps(resolve(dirname(file), t.endsWith('.json') ? t : `${t}.json`), depth + 1))];
}

function entryPath(dir: string, file: string, format: string): string {
  return join(dir, `${createHash('sha256').update(`${format}\0${file}`).digest('hex').slice(0, 32)}.js`);
}

/** The cached output for this key, or undefined. */
export function readCached(file: string, format: string, key: string): string | undefined {
  const dir = cacheFolder();
  if (!dir) return undefined;
  let text: string;
  try {
    text = readFileSync(entryPath(dir, file, format), 'utf8');
  } catch {
    return undefined;
  }
  // The key line, the output's SHA-256, the output: damaged or cut short, it is compiled again.
  const first = text.indexOf('\n');
  const second = text.indexOf('\n', first + 1);
  if (first <= 0 || second <= 0 || text.slice(0, first) !== `//${key}`) return undefined;
  const code = text.slice(second + 1);
  return text.slice(first + 1, second) === `//${sha256(code)}` ? code : undefined;
}

/** Stores the output under this key; a failure only means the next child compiles again. */
export function writeCached(file: string, format: string, key: string, code: string): void {
  const dir = cacheFolder();
  if (!dir) return;
  const target = entryPath(dir, file, format);
  const temporary = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, `//${key}\n//${sha256(code)}\n${code}`, { flag: 'wx', mode: 0o600 });
    renameSync(temporary, target);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // never made
    }
  }
}

/**
 * The file's JavaScript from the cache, else from `compile` (then cached).
 * `kind` tells outputs of one file apart (the format, the compiler); `tool`
 * is the compiler and its version. A cache that can't be read or written
 * only costs a compile.
 */
export function cached<T extends string | Promise<string>>(file: string, kind: string, tool: string, compile: () => T): T | string {
  let key: string | undefined;
  try {
    key = cacheKey(file, kind, tool);
    const hit = readCached(file, kind, key);
    if (hit !== undefined) return hit;
  } catch {
    key = undefined;
  }
  const output = compile();
  if (key === undefined) return output;
  const store = (code: string) => {
    // Compiled from what the file holds now: if that changed meanwhile, the output is not the key's.
    if (cacheKey(file, kind, tool) === key) writeCached(file, kind, key as string, code);
    return code;
  };
  return (typeof output === 'string' ? store(output) : output.then(store)) as T | string;
}
