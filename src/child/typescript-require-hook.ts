/**
 * A require hook for `.ts`/`.cts`/`.tsx` files made of the project's own
 * `typescript` (its `transpileModule`, 5.x and earlier), preloaded into a
 * child with `--require` when the parent had no TypeScript loader to pass on
 * and tsx is not installed: the usual jest + ts-jest project (ts-node or not),
 * whose only compiler is the `typescript` ts-jest needs.
 *
 * It only transpiles (the runner has checked the types), to CommonJS, with
 * the compiler options of the tsconfig.json nearest to each file, so the
 * decorator dialect (`experimentalDecorators`) is the project's. Outputs go
 * to the transform cache the SDK's own loader uses (ts-loader/transform-cache.ts).
 */
import { readFileSync } from '../shared/node-fs.js';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { cached } from './ts-loader/transform-cache.js';

type TypeScript = typeof import('typescript');
type CompilerOptions = import('typescript').CompilerOptions;

interface CompilableModule {
  _compile(code: string, filename: string): void;
}

const compilers = new Map<string, TypeScript | null>();
const tools = new Map<string, string | undefined>();

/** `typescript@<version>` resolved from the file, read from its package.json without loading the compiler. */
function typescriptTool(filename: string): string | undefined {
  const dir = dirname(filename);
  if (!tools.has(dir)) {
    try {
      const pkg = createRequire(filename).resolve('typescript/package.json');
      tools.set(dir, `typescript@${(JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version}:${pkg}`);
    } catch {
      tools.set(dir, undefined);
    }
  }
  return tools.get(dir);
}
const optionsByConfig = new Map<string, CompilerOptions>();

function typescriptFor(filename: string): TypeScript | null {
  const dir = dirname(filename);
  let ts = compilers.get(dir);
  if (ts === undefined) {
    try {
      ts = createRequire(filename)('typescript') as TypeScript;
      if (typeof ts.transpileModule !== 'function') ts = null;
    } catch {
      ts = null;
    }
    compilers.set(dir, ts);
  }
  return ts;
}

function compilerOptions(ts: TypeScript, filename: string): CompilerOptions {
  const configFile = ts.findConfigFile(dirname(filename), ts.sys.fileExists) ?? '';
  let options = optionsByConfig.get(configFile);
  if (!options) {
    const parsed = configFile
      ? ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })
      : undefined;
    options = {
      ...parsed?.options,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      verbatimModuleSyntax: false,
      inlineSourceMap: true,
      sourceMap: false,
      declaration: false,
      noEmit: false,
    };
    optionsByConfig.set(configFile, options);
  }
  return options;
}

const extensions = (Module as unknown as { _extensions: Record<string, (module: CompilableModule, filename: string) => void> })._extensions;

for (const extension of ['.ts', '.cts', '.tsx']) {
  if (extensions[extension]) continue; // another loader got there first
  extensions[extension] = (module, filename) => {
    const compile = () => {
      const ts = /[\\/]node_modules[\\/]/.test(filename) ? null : typescriptFor(filename);
      if (!ts)
        throw new Error(`isolated-call: no TypeScript compiler with transpileModule resolves from ${filename}; install tsx (npm i -D tsx)`);
      return ts.transpileModule(readFileSync(filename, 'utf8'), { fileName: filename, compilerOptions: compilerOptions(ts, filename) })
        .outputText;
    };
    // A cache hit never loads the compiler: most of this hook's cost in a fresh child.
    const tool = typescriptTool(filename);
    module._compile(tool ? cached(filename, 'typescript-commonjs', tool, compile) : compile(), filename);
  };
}
