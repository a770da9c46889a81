import { dirname } from 'node:path';
import type { MethodMeta } from '../targets/method-meta.js';
import type { TargetRef } from '../protocol/messages.js';
import { createRequire } from '../shared/create-require.js';
import { dynamicImport, importsSettled } from '../shared/dynamic-import.js';
import { targetRecords } from '../targets/records.js';
import { isCommonJsTypeScript, packageType } from '../shared/module-format.js';
import { toPath } from '../shared/module-url.js';
import { hasPreload } from '../shared/preload-flags.js';

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
 * settled: a standby child's preload of dist/child-api.mjs (build-entry.ts), which
 * every module that imports `isolated-call` has in its graph, is waited for.
 */
export async function importModule(url: string, ref: TargetRef): Promise<Record<string, unknown>> {
  const firstLoad = !userCodeRan;
  userCodeRan = true; // before this load, whose code may start an import() of its own
  const path = toPath(url);
  // The nearest package.json, read once: a .js file's format.
  const jsType = path.endsWith('.js') ? packageType(dirname(path)) : undefined;
  if (path.endsWith('.cjs') || (path.endsWith('.js') && jsType !== 'module') || requireHookFor(path)) {
    const state = targetRecords();
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
