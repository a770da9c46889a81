/**
 * `import()` for the child build. The build is compiled from V8's code cache
 * through node:vm (child/code-cache/child-main.ts), and code compiled that way
 * has no `import()` of its own unless it asks for an experimental vm option,
 * which prints a warning in every child (and loses it when compiled from the
 * cache). The entry that loads the build, compiled by Node as usual, lends it
 * its own under {@link DYNAMIC_IMPORT}; anywhere else this is plain `import()`.
 */
export const DYNAMIC_IMPORT = Symbol.for('isolated-call.dynamic-import');

type Importer = (specifier: string) => Promise<Record<string, unknown>>;

let started = false;

/** Whether this process has started an import() through {@link dynamicImport}: it may still be loading. */
export function importStarted(): boolean {
  return started;
}

export function dynamicImport(specifier: string): Promise<Record<string, unknown>> {
  started = true;
  const lent = (globalThis as Record<symbol, Importer | undefined>)[DYNAMIC_IMPORT];
  return lent ? lent(specifier) : (import(specifier) as Promise<Record<string, unknown>>);
}
