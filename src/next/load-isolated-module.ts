import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';

/**
 * What the Next.js loader (src/next/loader) puts in place of a module that
 * defines isolated code: that module and the app-local modules it imports,
 * compiled to CommonJS, by their paths relative to the project.
 */
export interface IsolatedModuleFiles {
  /** The folder the files go in, as the build saw it (`<project>/.next/isolated-call`). */
  readonly outDir: string;
  /** The module's own file, a key of `files`. */
  readonly entry: string;
  /** Relative path → file text. */
  readonly files: Readonly<Record<string, string>>;
}

/**
 * Writes the files where a child can import them (once per content: a folder
 * named by their hash, so an edit in `next dev` gets a folder of its own and
 * both processes load the new code) and requires the entry here, in the
 * server, so both processes run the same file and the decorators record it.
 * Called by the loader's output; not meant to be called by hand.
 */
export function loadIsolatedModule(spec: IsolatedModuleFiles): unknown {
  const { outDir, entry, files } = checkSpec(spec);
  const hash = createHash('sha256')
    .update(JSON.stringify([entry, files]))
    .digest('hex')
    .slice(0, 16);
  const errors: unknown[] = [];
  // The build's folder first; a deployment that moved the app has it under its working folder.
  for (const base of new Set([outDir, join(process.cwd(), '.next', 'isolated-call')])) {
    const folder = join(base, hash);
    try {
      if (!existsSync(join(folder, entry))) writeFolder(folder, files);
      return createRequire(join(folder, entry))(join(folder, entry));
    } catch (error) {
      if (existsSync(join(folder, entry))) throw error; // written: the module itself failed
      errors.push(error);
    }
  }
  throw new Error(`isolated-call/next could not write the isolated module ${entry} (to ${outDir}): ${String(errors[0])}`, {
    cause: errors[0],
  });
}

/** Writes beside the folder, then renames it into place: servers and build workers may race, and a reader sees all or nothing. */
function writeFolder(folder: string, files: Readonly<Record<string, string>>): void {
  const temporary = `${folder}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(temporary, path)), { recursive: true });
      writeFileSync(join(temporary, path), text);
    }
    try {
      renameSync(temporary, folder);
    } catch (error) {
      if (!existsSync(folder)) throw error; // another process put the same files there first
    }
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

function checkSpec(spec: IsolatedModuleFiles): IsolatedModuleFiles {
  const files = spec?.files;
  const valid =
    typeof spec?.outDir === 'string' &&
    isAbsolute(spec.outDir) &&
    typeof spec.entry === 'string' &&
    typeof files === 'object' &&
    files !== null &&
    typeof files[spec.entry] === 'string' &&
    Object.entries(files).every(([path, text]) => typeof text === 'string' && isInside(path));
  if (!valid) throw new TypeError("loadIsolatedModule() takes the output of isolated-call/next's loader");
  return spec;
}

/** A relative path that stays inside its folder. */
function isInside(path: string): boolean {
  const normal = normalize(path);
  return !isAbsolute(normal) && normal !== '..' && !normal.startsWith(`..${sep}`);
}
