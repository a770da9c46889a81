/**
 * Which module a worker's child may import for a job, decided before any of
 * the module's code runs (an import runs its top level, whatever the job
 * then calls). The job names the module; anyone who can write to the queue
 * wrote that name. A module is admitted when:
 *
 * - its name is relative, stays under the root (module-name.ts), and has no
 *   `node_modules` folder in it: a worker runs the app's own modules, never a
 *   dependency's exports;
 * - its real path, after every symlink, is a regular file inside the root's
 *   real path, or inside a folder the worker's `allowLinksTo` names, and
 *   still outside any `node_modules` there;
 * - it is JavaScript or TypeScript by its extension (never `.json`, `.node`,
 *   `.wasm`);
 * - its text uses the SDK: it names `isolated-call` in a string (an import,
 *   a require, or the SDK's own code in a bundle) and calls `Isolated(` or
 *   `isolate(`. A module that defines no isolated method has no reason to be
 *   imported by a job.
 *
 * The child then imports the real path that was checked, and runs only a
 * method decorated with @Isolated() or a function made with isolate()
 * (child/load-target.ts).
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toPath } from '../shared/module-url.js';
import { resolveModuleName } from './module-name.js';

/** The verdict on a job's module: the file URL to import, or why not. */
export type Admission = { readonly url: string } | { readonly refused: string; readonly missing?: true };

/** Extensions a child loads as code: JavaScript, and TypeScript for a worker started with a loader. */
const SOURCE_FILE = /\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/;
/** The SDK's name in a string: `from 'isolated-call'`, `require("isolated-call")`, the SDK's own keys in a bundle. */
const NAMES_SDK = /["'`]isolated-call/;
/** A call of the decorator or of isolate(), with type arguments, or as compilers write it: `(0, isolated_call_1.Isolated)()`. */
const CALLS_SDK = /\b(?:Isolated|isolate)\s*(?:<[^()]*>)?\s*\)?\s*\(/;
/** Larger files are not read: an app bundle with its dependencies is a few MB. */
const MAX_SOURCE_BYTES = 64 * 1024 * 1024;
/** Verdicts on files read, by real path; a changed file (size, times, inode) is read again. */
const verdicts = new Map<string, { readonly stamp: string; readonly uses: boolean }>();
const MAX_VERDICTS = 1000;

/**
 * Decides whether a job may name `name`. `root` and `allowLinksTo` are the
 * worker's folders; both are resolved to their real paths on every job, so
 * a deploy that swaps a `current` link is followed.
 */
export async function admitModule(name: string, root: string, allowLinksTo: readonly string[]): Promise<Admission> {
  const named = resolveModuleName(name, root);
  if (typeof named !== 'string') return named;
  if (hasNodeModules(name.split('/')))
    return { refused: "it is under node_modules: a worker runs the app's own modules, not its dependencies" };
  let real: string;
  try {
    real = await realpath(toPath(named));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { refused: "it is not there under the worker's root", missing: true };
    return { refused: `it can't be resolved (${String(code)})` };
  }
  const bases = await realFolders([root, ...allowLinksTo]);
  const base = bases.find((folder) => isInside(real, folder));
  if (base === undefined)
    return { refused: `it leads, through a symlink, to ${real}, outside the root (a folder may be allowed with allowLinksTo)` };
  if (hasNodeModules(relative(base, real).split(sep))) return { refused: `it leads, through a symlink, into node_modules (${real})` };
  if (!SOURCE_FILE.test(real)) return { refused: 'it is not a JavaScript or TypeScript file' };
  const uses = await usesSdk(real);
  if (typeof uses === 'string') return { refused: uses };
  if (!uses)
    return {
      refused:
        'it defines no isolated method: its text neither imports isolated-call nor calls Isolated() or isolate(), ' +
        'so none of it is run',
    };
  return { url: pathToFileURL(real).href };
}

function hasNodeModules(parts: readonly string[]): boolean {
  return parts.includes('node_modules');
}

function isInside(file: string, folder: string): boolean {
  const path = relative(folder, file);
  return path !== '' && !path.startsWith(`..${sep}`) && path !== '..' && !isAbsolute(path);
}

async function realFolders(folders: readonly string[]): Promise<string[]> {
  const real = await Promise.all(folders.map((folder) => realpath(folder).catch(() => undefined)));
  return real.filter((folder): folder is string => folder !== undefined);
}

/** Whether the file's text uses the SDK (above), or why it can't be told. */
async function usesSdk(file: string): Promise<boolean | string> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file, { bigint: true });
  } catch (error) {
    return `it can't be read (${String((error as { code?: unknown }).code)})`;
  }
  if (!info.isFile()) return 'it is not a regular file';
  if (info.size > BigInt(MAX_SOURCE_BYTES)) return `it is larger than ${MAX_SOURCE_BYTES} bytes, more than a worker reads to check it`;
  // ctime changes with every write and can't be set back: a rewrite with the same size and mtime is still seen.
  const stamp = `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
  const known = verdicts.get(file);
  if (known?.stamp === stamp) return known.uses;
  let text: string;
  try {
    text = await readFile(file, 'latin1');
  } catch (error) {
    return `it can't be read (${String((error as { code?: unknown }).code)})`;
  }
  const uses = NAMES_SDK.test(text) && CALLS_SDK.test(text);
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  verdicts.set(file, { stamp, uses });
  return uses;
}
