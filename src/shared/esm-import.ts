/**
 * `import()`, built as a file of its own (dist/esm-import.js and .cjs) that the
 * SDK's entries load instead of carrying the expression themselves. tsx
 * rewrites every ES module whose text holds a dynamic import, with a source
 * map at the precision of each word: for the SDK's entry that map would
 * outweigh most dependencies people isolate. A file this small costs nothing.
 */
export function esmImport(specifier: string): Promise<Record<string, unknown>> {
  return import(specifier) as Promise<Record<string, unknown>>;
}
