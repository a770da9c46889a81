// The work every demo process does: transpile a TypeScript source 20 times.
const source = Array.from({ length: 200 }, (_, i) => `export function f${i}(x: number): number { return x * ${i}; }`).join('\n');

export function work(ts: typeof import('typescript')): number {
  let bytes = 0;
  for (let i = 0; i < 20; i++)
    bytes += ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText.length;
  return bytes;
}

/** One row of the demo's table, printed as JSON on the last line of stdout. */
export interface Row {
  start: number;
  afterWork: number;
  afterCleanup: number;
  childPeak?: number;
  loadedAfterCleanup: boolean;
}

export function collect(): void {
  // Run under --expose-gc; twice, so objects freed by finalizers go too.
  globalThis.gc?.();
  globalThis.gc?.();
}
