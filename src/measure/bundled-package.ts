import { readFileSync } from '../shared/node-fs.js';
import { callerFrameName } from '../shared/caller-module.js';
import { fileUrlOfFrame, toPath } from '../shared/module-url.js';

/**
 * Whether a package was bundled into the code that asks about it, where
 * `isModuleLoaded()` can't see it: a bundler compiles a dependency's code
 * into the bundle, so it is parsed with the bundle (its memory is paid) but
 * never imported under its own file name.
 */

/** What a bundle's text says about the modules it holds. */
interface BundleText {
  /** The text itself: read again for each question, never kept (a bundle with a compiler in it is megabytes). */
  readonly text: string;
  /**
   * It names each module it holds (esbuild's `// node_modules/x/…` comments,
   * webpack's module ids): a package it doesn't name isn't in it.
   */
  readonly listsModules: boolean;
}

const BUNDLER_RUNTIME =
  /\b(?:__webpack_require__|__webpack_modules__|__commonJS|__toESM|__toCommonJS|__esm|getDefaultExportFromCjs|commonjsGlobal)\b/;
const MODULE_LIST = /^\/\/ (?:node_modules|src|lib|\.\.?)\/[^\s]+$|^\/\*{3}\/ "\.\/|"\.\/node_modules\//m;

/** Files known not to be bundles: asked about again, they aren't read again. */
const notBundles = new Set<string>();

function readBundle(path: string): BundleText | undefined {
  if (notBundles.has(path)) return undefined;
  try {
    const text = readFileSync(path, 'utf8');
    if (BUNDLER_RUNTIME.test(text)) return { text, listsModules: MODULE_LIST.test(text) };
  } catch {
    // not readable: nothing to tell from it
  }
  notBundles.add(path);
  return undefined;
}

/**
 * Why `isModuleLoaded(name)` can't answer `false` for its caller, or
 * undefined when it can: the caller is a bundle that holds the package, or
 * a minified one that doesn't say what it holds.
 */
export function bundledCallerDoubt(name: string): string | undefined {
  const frame = callerFrameName();
  // A module webpack evaluated from a string (its development builds) is named in V8's script list, which
  // isModuleLoaded() reads: a bundled package it evaluated is seen there, under its node_modules path.
  const caller = frame === undefined ? undefined : (fileUrlOfFrame(frame) ?? frame);
  if (!caller?.startsWith('file:')) return undefined;
  const path = toPath(caller);
  const bundle = readBundle(path);
  if (!bundle) return undefined;
  if (bundle.text.includes(`node_modules/${name}/`))
    return (
      `${name} is bundled into ${path}: its code is compiled with the bundle and parsed when the bundle loads, never ` +
      `imported under its own name, so whether it ran (and what it costs) can't be read from the loaded modules. Keep it out ` +
      `of the bundle (esbuild --external:${name}) and load it inside the isolated method`
    );
  if (bundle.listsModules) return undefined;
  return (
    `${path} is a bundle that doesn't name the modules it holds (minified?), so ${name} may be compiled into it, where it ` +
    `can't be seen as loaded. Mark ${name} external when bundling (esbuild --external:${name}) and ask again, or measure the ` +
    `process's memory instead (measureRss)`
  );
}
