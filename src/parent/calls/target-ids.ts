/**
 * The number each target goes by on a child's channel (protocol/messages.ts:
 * a call carries its target only until that child has it). One number per
 * distinct target in this process: by the TargetRef object when the caller
 * keeps it (invoke.ts does, per method and class), else by its fields.
 */
import type { MethodMeta } from '../../targets/method-meta.js';
import type { TargetRef } from '../../protocol/messages.js';

const byRef = new WeakMap<TargetRef, number>();
const byKey = new Map<string, number>();

export function targetIdOf(target: TargetRef): number {
  let id = byRef.get(target);
  if (id === undefined) {
    const key = `${target.kind}\0${target.module}\0${target.owner}\0${target.method ?? ''}`;
    id = byKey.get(key);
    if (id === undefined) byKey.set(key, (id = byKey.size + 1));
    byRef.set(target, id);
  }
  return id;
}

interface MethodRefs {
  readonly module: string;
  readonly byOwner: Map<string, TargetRef>;
}

const refsByMethod = new WeakMap<MethodMeta, MethodRefs>();

/** The target of `meta` in `module` under `owner`: the same object every call, so {@link targetIdOf} finds it at once. */
export function targetRefOf(meta: MethodMeta, module: string, owner: string): TargetRef {
  let refs = refsByMethod.get(meta);
  if (refs?.module !== module) refsByMethod.set(meta, (refs = { module, byOwner: new Map() }));
  let ref = refs.byOwner.get(owner);
  if (!ref) {
    ref = { module, owner, kind: meta.kind, ...(meta.kind === 'function' ? {} : { method: meta.name }) };
    refs.byOwner.set(owner, ref);
  }
  return ref;
}
