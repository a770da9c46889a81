import { createRequire } from 'node:module';
import { isolate } from 'isolated-call';

const require = createRequire(import.meta.url);

// Exported under the function's own name, so the child finds it.
export const stripTypes = isolate(
  async function stripTypes(source: string): Promise<string> {
    // require() a big CommonJS dependency inside the function: only the child loads it.
    const ts: typeof import('typescript') = require('typescript');
    const compilerOptions = { target: ts.ScriptTarget.ES2022, removeComments: true };
    return ts.transpileModule(source, { compilerOptions }).outputText.trim();
  },
  { timeout: 30_000 },
);
