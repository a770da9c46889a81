/**
 * How a job names its module across machines: a path relative to the app's
 * root, with `/` separators. The caller makes it from the file it loaded;
 * each worker resolves it against its own root, where the same code is
 * deployed (as Ray and Celery do).
 */
import { existsSync } from '../shared/node-fs.js';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ModuleLoadError } from '../errors/module-load-error.js';
import { toPath } from '../shared/module-url.js';

/** The folder of the nearest package.json above `file`, or `process.cwd()` when there is none. */
export function defaultRoot(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

/**
 * The caller's side: `module` (a file URL) relative to `root` (default: see
 * defaultRoot).
 *
 * @throws ModuleLoadError when the module is outside the root: no worker could find it.
 */
export function moduleName(module: string, root: string | undefined, label: string): string {
  const file = toPath(module);
  const base = root ?? defaultRoot(file);
  const name = relative(base, file);
  if (name === '' || name.startsWith('..') || isAbsolute(name)) {
    throw new ModuleLoadError(
      module,
      `${label} is defined in ${file}, outside the app's root ${base}, so no worker can find it there. ` +
        "Pass bullmqRunner({ root }) as the folder your workers' --root stands for.",
    );
  }
  return name.split(sep).join('/');
}

/**
 * The worker's side: the file URL of `name` under `root`, or why the name is
 * refused. The name comes from the job, which anyone who can write to the
 * queue wrote: absolute paths, `..` and anything else that would leave the
 * root are refused.
 */
export function resolveModuleName(name: string, root: string): string | { refused: string } {
  if (name.length === 0 || name.length > 4096 || name.includes('\0') || name.includes('\\'))
    return { refused: 'it is empty, too long, or holds a NUL or a backslash' };
  if (isAbsolute(name) || /^[a-z][a-z0-9+.-]*:/i.test(name)) return { refused: 'it is absolute; jobs name modules relative to the root' };
  if (name.split('/').some((part) => part === '..')) return { refused: 'it goes up with ..' };
  const base = resolve(root);
  const file = resolve(base, name);
  if (!file.startsWith(base + sep)) return { refused: 'it is outside the root' };
  return pathToFileURL(file).href;
}
