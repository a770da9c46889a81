import { ensureClassRegistered } from '../codec/register.js';
import type { TargetRef } from '../protocol/messages.js';
import { codecState } from '../codec/codec-state.js';
import { recordedClass } from '../targets/class-record.js';
import { targetRecords } from '../targets/records.js';
import { childRun } from './child-run.js';
import { findClassOnHeap } from './find-class-on-heap.js';
import { isolatedMeta, methodRefusal, notIsolated } from './isolated-target.js';
import { explainImportFailure } from './import-failure.js';
import { importModule } from './import-module.js';
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
    (codecState().registry.classRegistry.getValue(ref.owner) as Function | undefined) ??
    recordedClass(ref.module, ref.owner) ??
    (ref.kind === 'instance' ? findClassOnHeap(ref.module, ref.owner, ref.method ?? '') : undefined)
  );
}

/** The function isolate() made under `ref.owner` (its name or id), else a plain export of that name, refused in a fleet's job. */
function findFunction(exports: Record<string, unknown>, ref: TargetRef): { fn: Function; refusal?: string } {
  const exported = pick(exports, ref.owner);
  if (exported && isolatedMeta(exported)?.kind === 'function') return { fn: exported };
  // Not exported under its id (an arrow function's id is its place among the
  // module's isolate() calls): isolate() recorded it when the module ran here.
  const state = targetRecords();
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
