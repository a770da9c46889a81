import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { compileClosure, type Swc } from './compile-closure.js';
import { definesIsolatedCode, hasNextDirective } from './defines-isolated.js';
import { readProjectSettings } from './tsconfig.js';

/** What withIsolatedCall() passes (src/next/with-isolated-call.ts). */
interface LoaderOptions {
  readonly outDir: string;
  readonly projectDir: string;
}

/** The parts of webpack's loader context that webpack and Turbopack both have. */
interface LoaderContext {
  readonly resourcePath: string;
  readonly rootContext?: string;
  getOptions(): LoaderOptions;
  addDependency(file: string): void;
}

/**
 * The webpack (and Turbopack) loader of isolated-call/next. A server module
 * that defines isolated code becomes a stub that loads the module compiled
 * to CommonJS (src/next/load-isolated-module.ts): the bundled copy of a
 * module can't be imported by a child (it is a factory in a chunk), the
 * compiled one can, and the server running that same file is what lets the
 * child find the function or class the server called. Every other module
 * passes through as it is.
 */
export default function isolatedCallLoader(this: LoaderContext, source: string): string {
  if (/[\\/]node_modules[\\/]/.test(this.resourcePath) || !definesIsolatedCode(source) || hasNextDirective(source)) return source;
  const options = this.getOptions();
  const projectDir = projectDirOf(this, options);
  const settings = readProjectSettings(dirname(this.resourcePath), projectDir);
  if (settings.file) this.addDependency(settings.file);
  const closure = compileClosure(this.resourcePath, projectDir, settings, nextSwc(projectDir));
  for (const file of closure.sources) if (file !== this.resourcePath) this.addDependency(file);
  const spec = { outDir: options.outDir, entry: closure.entry, files: closure.files };
  return (
    '// Compiled by isolated-call/next: the server and its children load the same CommonJS build of this module.\n' +
    `module.exports = require("isolated-call/next").loadIsolatedModule(${JSON.stringify(spec)});\n`
  );
}

/** The folder the output names are relative to: the app's (next.config's working folder), else the bundler's root. */
function projectDirOf(context: LoaderContext, options: LoaderOptions): string {
  if (isAbsolute(options.projectDir)) return options.projectDir;
  return context.rootContext && isAbsolute(context.rootContext) ? context.rootContext : process.cwd();
}

/** Next's own SWC, from the app's `next`: the compiler the build already runs, so the SDK needs none. */
function nextSwc(projectDir: string): Swc {
  return createRequire(join(projectDir, 'package.json'))('next/dist/build/swc') as Swc;
}
