import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, isAbsolute, posix, relative, sep } from 'node:path';
import { resolveSource } from './resolve-source.js';
import type { ProjectSettings } from './tsconfig.js';

/** Next's SWC binding, as `next/dist/build/swc` exports it. */
export interface Swc {
  transformSync(source: string, options: object): { code: string };
}

/** A module that defines isolated code, compiled with the app files it imports. */
export interface Closure {
  /** The module's own file, a key of `files`. */
  readonly entry: string;
  /** Path relative to the output folder → CommonJS text (or a JSON file's text). */
  readonly files: Record<string, string>;
  /** Every source file read, for the bundler to watch. */
  readonly sources: string[];
}

/** Imports that only tell Next's bundler where code may run; Node would run them (server-only throws there). */
const BUNDLER_MARKERS = new Set(['server-only', 'client-only']);
// A require() of a string, in either quote: SWC writes those it makes with ", and keeps the source's own as written.
const REQUIRE = /\brequire\((["'])((?:(?!\1)[^\\\n])*)\1\)/g;
/** What the closure compiles or copies; an import of anything else (a stylesheet, an image) has no meaning in Node. */
const CODE = /\.(?:[cm]?tsx?|[cm]?jsx?)$/;

/**
 * Compiles `entry` and, transitively, the app files it imports (relative
 * imports, tsconfig `paths` and `baseUrl`) into CommonJS a plain Node
 * process can require: the server instead of its bundled copy, and the
 * child. Packages stay `require()`s, so a heavy dependency is loaded only
 * by whoever runs the code that needs it.
 */
export function compileClosure(entry: string, projectDir: string, settings: ProjectSettings, swc: Swc): Closure {
  const files: Record<string, string> = {};
  const sources: string[] = [];
  const queue = [entry];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const source = queue.shift()!;
    sources.push(source);
    const name = outputName(source, projectDir);
    const text = readFileSync(source, 'utf8');
    if (source.endsWith('.json')) {
      files[name] = text;
      continue;
    }
    const { code } = swc.transformSync(text, swcOptions(source, settings));
    files[name] = code.replace(REQUIRE, (call, _quote: string, specifier: string) => {
      if (BUNDLER_MARKERS.has(specifier)) return '{}';
      const target = resolveSource(specifier, source, settings);
      if (!target || /[\\/]node_modules[\\/]/.test(target)) return call;
      if (!CODE.test(target) && !target.endsWith('.json')) return '{}';
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
      const path = posix.relative(posix.dirname(name), outputName(target, projectDir));
      return `require(${JSON.stringify(path.startsWith('.') ? path : `./${path}`)})`;
    });
  }
  return { entry: outputName(entry, projectDir), files, sources };
}

/** `lib/transpiler.ts` → `lib/transpiler.ts.cjs`: the project's layout, so a file's name says where it came from. */
function outputName(source: string, projectDir: string): string {
  const path = relative(projectDir, source);
  const inside = path !== '' && !path.startsWith(`..${sep}`) && !isAbsolute(path);
  const name = inside
    ? path.split(sep).join('/')
    : `_outside/${createHash('sha256').update(source).digest('hex').slice(0, 8)}/${basename(source)}`;
  return name.endsWith('.json') ? name : `${name}.cjs`;
}

function swcOptions(file: string, settings: ProjectSettings): object {
  const typescript = /\.[cm]?tsx?$/.test(file);
  return {
    filename: file,
    swcrc: false,
    configFile: false,
    sourceMaps: false,
    jsc: {
      parser: typescript
        ? { syntax: 'typescript', tsx: file.endsWith('.tsx'), decorators: true }
        : { syntax: 'ecmascript', jsx: true, decorators: true, importAttributes: true },
      target: 'es2022',
      externalHelpers: false,
      // The child finds a class by its name: the parent's must be the same.
      keepClassNames: true,
      transform: {
        // The project's dialect, as tsc would compile it: legacy with experimentalDecorators, else the standard one.
        ...(settings.experimentalDecorators
          ? { legacyDecorator: true, decoratorMetadata: settings.emitDecoratorMetadata }
          : { decoratorVersion: '2022-03' }),
        react: { runtime: 'automatic' },
      },
    },
    module: { type: 'commonjs' },
  };
}
