import { isBuiltin } from 'node:module';
import { createRequire } from '../shared/create-require.js';
import { builtin } from '../shared/builtin.js';
import { fileURLToPath } from 'node:url';
import { ownUrl } from '../shared/sdk-location.js';
import { runtime } from '../shared/runtime.js';
import { bundledCallerDoubt } from './bundled-package.js';

const requireFromHere = createRequire(ownUrl);

/**
 * Whether a package (or a file) is loaded in this process, CommonJS or ESM.
 *
 * - A bare specifier (`typescript`, `@scope/pkg`, `pkg/sub`) matches any file
 *   under `node_modules/<package>/`; an absolute path or `file:` URL matches that file.
 * - CommonJS modules, including those loaded through `import()`, are found in
 *   `require.cache`.
 * - ES modules have no public registry in Node 20. They are found through
 *   Node's inspector: `Debugger.enable` reports every script V8 has parsed,
 *   ES modules included. This sees modules evaluated by Node or by a runner
 *   that hands source to V8 (vitest); it can't see a module whose code was
 *   bundled into another file under a different name.
 * - Built-ins (`node:fs`) are looked up in `process.moduleLoadList`.
 * - Under Bun, `require.cache` holds ES modules too. Under Deno nothing lists
 *   ES modules: a package not in `require.cache` throws
 *   (`ERR_ISOLATED_UNSUPPORTED_RUNTIME`) rather than answer false.
 *
 * It never guesses: when the inspector can't be used, it throws rather than
 * answer false. Nor can it see a package that was bundled into the code that
 * asks (esbuild, webpack, Rollup): that code is parsed with the bundle, never
 * imported under its own name. So when the caller is a bundle that holds the
 * package, or a minified bundle that doesn't say what it holds, it throws
 * (code `ERR_ISOLATED_BUNDLED_MODULE`) rather than answer false; mark the
 * package external to keep it out of the bundle (docs/bundling.md).
 *
 * @throws Error when ES modules can't be listed (the inspector is unavailable).
 * @throws Error with code `ERR_ISOLATED_BUNDLED_MODULE` when the package may be bundled into the caller.
 */
export function isModuleLoaded(specifier: string): boolean {
  if (typeof specifier !== 'string' || specifier === '') throw new TypeError('isModuleLoaded() takes a package name or a file path');
  return isLoaded(specifier, false);
}

/**
 * `isModuleLoaded()` of a file, where an ES module counts only when V8 parsed
 * it as one: so Node's own loader holds it, and `import()` returns the
 * instance already evaluated. A module some other code evaluated as a script
 * under the file's name (a test runner's module runner does) doesn't count:
 * there `import()` would evaluate a second copy.
 */
export function isLoadedByNode(fileUrl: string): boolean {
  return isLoaded(fileUrl, true);
}

function isLoaded(specifier: string, modulesOnly: boolean): boolean {
  if (isBuiltin(specifier)) {
    const name = specifier.replace(/^node:/, '');
    const loaded = (process as unknown as { moduleLoadList?: string[] }).moduleLoadList ?? [];
    return loaded.some((entry) => entry === `NativeModule ${name}` || entry.startsWith(`NativeModule ${name}/`));
  }
  const matches = matcherFor(specifier);
  for (const file of Object.keys(requireFromHere.cache)) if (matches(file)) return true;
  // Bun's require.cache holds its ES modules too: nothing else to look at.
  if (runtime === 'bun') return false;
  if (runtime === 'deno') {
    const error = new Error(
      `isModuleLoaded('${specifier}') can't tell under Deno: its ES modules are in no registry that Node's APIs show, ` +
        `and its inspector doesn't list them. Run the check under Node or Bun.`,
    );
    (error as { code?: string }).code = 'ERR_ISOLATED_UNSUPPORTED_RUNTIME';
    throw error;
  }
  const parsed = parsedScripts().filter((script) => script.isModule || !modulesOnly);
  if (parsed.some(({ url }) => matches(url.startsWith('file:') ? safePath(url) : url))) return true;
  const doubt = isBareSpecifier(specifier) ? bundledCallerDoubt(packageName(specifier)) : undefined;
  if (doubt) {
    const error = new Error(`isModuleLoaded('${specifier}') can't tell: ${doubt}.`);
    (error as { code?: string }).code = 'ERR_ISOLATED_BUNDLED_MODULE';
    throw error;
  }
  return false;
}

function isBareSpecifier(specifier: string): boolean {
  return !(specifier.startsWith('file:') || specifier.startsWith('/') || /^[A-Za-z]:[\\/]/.test(specifier));
}

/** `typescript` of `typescript/lib/x`, `@scope/pkg` of `@scope/pkg/sub`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function matcherFor(specifier: string): (file: string) => boolean {
  if (!isBareSpecifier(specifier)) {
    const path = specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier;
    return (file) => file === path;
  }
  const needle = `/node_modules/${packageName(specifier)}/`;
  return (file) => file.replace(/\\/g, '/').includes(needle);
}

/** A script V8 has parsed: its URL, and whether it was parsed as an ES module. */
interface ParsedScript {
  readonly url: string;
  readonly isModule: boolean;
}

function parsedScripts(): ParsedScript[] {
  const scripts: ParsedScript[] = [];
  const { Session } = builtin<typeof import('node:inspector')>('node:inspector');
  const session = new Session();
  try {
    session.connect();
    session.on('Debugger.scriptParsed', (event: { params: { url: string; isModule?: boolean } }) => {
      if (event.params.url) scripts.push({ url: event.params.url, isModule: event.params.isModule === true });
    });
    // A same-thread session answers synchronously: every script parsed so far
    // is reported before post() returns.
    let failure: Error | null = null;
    session.post('Debugger.enable', (error) => {
      failure = error;
    });
    session.post('Debugger.disable');
    if (failure) throw failure;
  } catch (error) {
    throw new Error(`isModuleLoaded() can't list the ES modules of this process, so it can't tell: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    session.disconnect();
  }
  return scripts;
}

function safePath(url: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}
