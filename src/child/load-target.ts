import { createRequire } from '../shared/create-require.js';
import { dirname } from 'node:path';
import { ensureClassRegistered } from '../codec/register.js';
import type { TargetRef } from '../protocol.js';
import { dynamicImport, importsSettled } from '../shared/dynamic-import.js';
import { hasPreload } from '../shared/preload-flags.js';
import { globalState } from '../shared/global-state.js';
import { toPath } from '../shared/module-url.js';
import { isCommonJsTypeScript, packageType } from '../shared/module-format.js';
import { recordedClass } from '../decorator/class-record.js';
import type { MethodMeta } from '../decorator/method-meta.js';
import { childRun } from './child-run.js';
import { findClassOnHeap } from './find-class-on-heap.js';
import { isolatedMeta, methodRefusal, notIsolated } from './isolated-target.js';
import { unguardedWhileLoading } from './unguarded-entry.js';

/** The function to call and, for methods, the class it belongs to. */
export interface LoadedTarget {
  readonly fn: Function;
  readonly cls: Function | undefined;
  /** Why it is not a target @Isolated() or isolate() made, if it is not (child/isolated-target.ts). */
  readonly refusal?: string;
}

const modules = new Map<string, Promise<Record<string, unknown>>>();
/** The exports of the modules imported so far, for finding a user error class by name (callback-stubs.ts). */
const imported = new Map<string, Record<string, unknown>>();

/** The exports of a module this child has imported, if it has. */
export function importedExports(moduleUrl: string): Record<string, unknown> | undefined {
  return imported.get(moduleUrl);
}

/**
 * Imports the module once per child and finds the class and method (or
 * function) in it; with `onlyIsolated` (a job of a fleet's worker), refuses
 * one that @Isolated() or isolate() didn't make.
 */
export async function loadTarget(ref: TargetRef, onlyIsolated: boolean): Promise<LoadedTarget> {
  // A warm child's next call of the same method: found already, no lookup.
  const key = `${ref.kind}\0${ref.module}\0${ref.owner}\0${ref.method ?? ''}`;
  let target = targets.get(key);
  if (!target) {
    target = await findTarget(ref);
    targets.set(key, target);
  }
  if (onlyIsolated && target.refusal !== undefined) throw notIsolated(target.refusal);
  return target;
}

/** Targets found, by kind, module, owner and method. */
const targets = new Map<string, LoadedTarget>();

async function findTarget(ref: TargetRef): Promise<LoadedTarget> {
  let loading = modules.get(ref.module);
  if (!loading) {
    const run = childRun();
    run.importing = ref.module;
    const unguarded = unguardedWhileLoading(ref);
    loading = Promise.race([importModule(ref.module, ref), unguarded.stopped])
      .catch((error: unknown) => {
        throw explainImportFailure(ref.module, error);
      })
      .finally(() => {
        run.importing = undefined;
        unguarded.done();
      });
    modules.set(ref.module, loading);
  }
  const exports = await loading;
  imported.set(ref.module, exports);
  if (ref.kind === 'function') return { ...findFunction(exports, ref), cls: undefined };

  const cls = findClass(exports, ref);
  if (typeof cls !== 'function') {
    throw new Error(
      `class "${ref.owner}" was not found: export it from the module under that name, or call registerClass(${ref.owner}) in it. ` +
        '(A standard method decorator never sees its class, so the child looks the class up by name.)',
    );
  }
  const holder = ref.kind === 'static' ? cls : (cls.prototype as Record<string, unknown>);
  const fn = (holder as Record<string, unknown>)[ref.method ?? ''];
  if (typeof fn !== 'function') throw new Error(`class "${ref.owner}" has no ${ref.kind} method "${ref.method}" in the child`);
  ensureClassRegistered(cls, ref.owner);
  return { fn, cls, refusal: methodRefusal(fn, ref) };
}

/**
 * The class by its export, its registration, the decorator's record of it
 * (a bundle exports nothing, but importing it ran the decorators), or, for a
 * standard instance method whose decorator never saw the class, on the heap.
 */
function findClass(exports: Record<string, unknown>, ref: TargetRef): Function | undefined {
  return (
    pick(exports, ref.owner) ??
    (globalState().registry.classRegistry.getValue(ref.owner) as Function | undefined) ??
    recordedClass(ref.module, ref.owner) ??
    (ref.kind === 'instance' ? findClassOnHeap(ref.module, ref.owner, ref.method ?? '') : undefined)
  );
}

/**
 * A CommonJS module is required rather than imported: import() would first
 * start Node's ESM loader, a few milliseconds of every fresh child's start-up
 * spent on nothing. An ES module is required too where Node can (20.19 on)
 * and no loader hooks may be in play: the same module graph and namespace,
 * loaded synchronously, about 3 ms sooner than through import()'s async
 * loader. A module with top-level await, or anything else require() refuses
 * before evaluating a line, goes to import().
 *
 * Only while no import() can be loading, though: Node 20 fails a require()
 * whose module graph holds a module an import() is still loading (a
 * TypeError, "reading 'getStatus'", in getModuleJobForRequire). So only a
 * child's first load, before any of the user's code has run (which may have
 * started an import() no one sees), and once the SDK's own import()s have
 * settled: a standby child's preload of dist/child-api.mjs (entry.ts), which
 * every module that imports `isolated-call` has in its graph, is waited for.
 */
async function importModule(url: string, ref: TargetRef): Promise<Record<string, unknown>> {
  const firstLoad = !userCodeRan;
  userCodeRan = true; // before this load, whose code may start an import() of its own
  const path = toPath(url);
  // The nearest package.json, read once: a .js file's format.
  const jsType = path.endsWith('.js') ? packageType(dirname(path)) : undefined;
  if (path.endsWith('.cjs') || (path.endsWith('.js') && jsType !== 'module') || requireHookFor(path)) {
    const state = globalState();
    if (ref.kind === 'instance') state.onInstanceMethodDecorated = keepClassOf(ref);
    try {
      const exports = createRequire(path)(path) as unknown;
      return { ...(exports as Record<string, unknown>), default: exports };
    } finally {
      state.onInstanceMethodDecorated = undefined;
    }
  }
  if ((path.endsWith('.mjs') || jsType === 'module') && firstLoad && canRequireEsModules() && (await importsSettled())) {
    try {
      return createRequire(path)(path) as Record<string, unknown>;
    } catch (error) {
      if (!/^ERR_REQUIRE_/.test(String((error as { code?: unknown })?.code))) throw error;
    }
  }
  return await dynamicImport(url);
}

/** The target methods' own functions, held for the child's life (see keepClassOf). */
const heldMethods: Function[] = [];

/**
 * Holds on to the target's standard instance method as it is decorated. A
 * CommonJS module's scope may be all that holds a class that the module
 * neither exports nor registers (an app's CommonJS bundle, whose entry
 * exports nothing), and that scope would be collected once the module has
 * run, before the search on the heap could find the class. A function keeps
 * the scope it was made in, and the class with it.
 */
function keepClassOf(ref: TargetRef): (meta: MethodMeta) => void {
  return (meta) => {
    if (meta.name === ref.method) heldMethods.push(meta.original);
  };
}

let requireEsModules: boolean | undefined;
/** Set once a module of the user's has started loading here: its code may have started an import() no one sees. */
let userCodeRan = false;

/** Whether this Node loads ES modules with require(), and nothing could have registered loader hooks. */
function canRequireEsModules(): boolean {
  requireEsModules ??=
    (process.features as { require_module?: boolean }).require_module === true && !hasPreload(process.execArgv, process.env.NODE_OPTIONS);
  return requireEsModules;
}

/**
 * A CommonJS TypeScript module where a require hook for its extension is
 * registered (ts-node, `--require @swc-node/register`, tsx): import() would
 * go to Node's ESM loader, which no require hook reaches.
 */
function requireHookFor(path: string): boolean {
  const extension = /\.[cm]?tsx?$/.exec(path)?.[0];
  return (
    extension !== undefined &&
    extension !== '.mts' &&
    typeof createRequire(path).extensions[extension] === 'function' &&
    isCommonJsTypeScript(path)
  );
}

/** The function isolate() made under `ref.owner` (its name or id), else a plain export of that name, refused in a fleet's job. */
function findFunction(exports: Record<string, unknown>, ref: TargetRef): { fn: Function; refusal?: string } {
  const exported = pick(exports, ref.owner);
  if (exported && isolatedMeta(exported)?.kind === 'function') return { fn: exported };
  // Not exported under its id (an arrow function's id is its place among the
  // module's isolate() calls): isolate() recorded it when the module ran here.
  const state = globalState();
  const recorded = state.functions.get(`${ref.module}#${ref.owner}`);
  if (recorded) return { fn: recorded.original };
  // Recorded under another spelling of the module's URL: the export that holds its wrapper.
  for (const value of Object.values(exports)) {
    const meta = isolatedMeta(value);
    if (meta?.kind === 'function' && meta.name === ref.owner) return { fn: meta.original };
  }
  for (const [key, meta] of state.functions) if (key.endsWith(`#${ref.owner}`)) return { fn: meta.original };
  if (exported) return { fn: exported, refusal: `the function "${ref.owner}" the module exports was not made with isolate()` };
  throw new Error(
    `function "${ref.owner}" was not found: call isolate() at the top level of the module, the same way each time it runs, and ` +
      `export the result, or pass isolate(fn, { id })`,
  );
}

function pick(exports: Record<string, unknown>, name: string): Function | undefined {
  const direct = exports[name];
  if (typeof direct === 'function') return direct;
  const fallback = exports.default as Record<string, unknown> | Function | undefined;
  if (typeof fallback === 'function' && fallback.name === name) return fallback;
  const nested = fallback?.[name as never] as unknown;
  return typeof nested === 'function' ? nested : undefined;
}

/** Node's codes for TypeScript its type stripping refuses. */
const STRIPPING_REFUSED = new Set([
  'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX',
  'ERR_INVALID_TYPESCRIPT_SYNTAX',
  'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING',
]);

function explainImportFailure(module: string, error: unknown): Error {
  const code = (error as { code?: unknown })?.code;
  // Node 22.18 and later strip types where the child has no loader, and refuse
  // what stripping can't run: parameter properties and enums by a code,
  // decorators by V8's SyntaxError.
  const stripped =
    STRIPPING_REFUSED.has(code as string) || (error instanceof SyntaxError && !hasPreload(process.execArgv, process.env.NODE_OPTIONS));
  if ((code === 'ERR_UNKNOWN_FILE_EXTENSION' || stripped) && /\.[cm]?tsx?$/.test(module)) {
    return new Error(
      `${module} is TypeScript and the child has no TypeScript loader. Install tsx (npm i -D tsx; isolated-call then uses it for ` +
        `the child), ` +
        'or give the child another loader through the execArgv option, or point the module option at compiled JavaScript.' +
        (code === 'ERR_UNKNOWN_FILE_EXTENSION' ? '' : ` (Node's own type stripping can't run it: ${(error as Error).message})`),
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
