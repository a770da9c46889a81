/**
 * `import()` for the child build. The build is compiled from V8's code cache
 * through node:vm (child/code-cache/process-entry.ts), and code compiled that way
 * has no `import()` of its own unless it asks for an experimental vm option,
 * which prints a warning in every child (and loses it when compiled from the
 * cache). The entry that loads the build, compiled by Node as usual, lends it
 * its own under {@link DYNAMIC_IMPORT}; anywhere else this is plain `import()`.
 */
import { esmImport } from './esm-import.js';

export const DYNAMIC_IMPORT = Symbol.for('isolated-call.dynamic-import');

type Importer = (specifier: string) => Promise<Record<string, unknown>>;

/** The import()s started through {@link dynamicImport} that are still loading. */
const loading = new Set<Promise<unknown>>();
let failed = false;

/**
 * Resolves once no import() started through {@link dynamicImport} is still
 * loading: true if all of them loaded, false if one failed (its modules may
 * be left half loaded in Node's module map).
 */
export async function importsSettled(): Promise<boolean> {
  while (loading.size > 0) await Promise.allSettled([...loading]);
  return !failed;
}

export function dynamicImport(specifier: string): Promise<Record<string, unknown>> {
  const lent = (globalThis as Record<symbol, Importer | undefined>)[DYNAMIC_IMPORT];
  const imported = lent ? lent(specifier) : esmImport(specifier);
  loading.add(imported);
  imported.then(
    () => loading.delete(imported),
    () => {
      failed = true;
      loading.delete(imported);
    },
  );
  return imported;
}
