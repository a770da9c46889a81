import { callbackTag, type CallbackTag } from './tags.js';
import type { DecodeContext, EncodeContext } from './walk-context.js';

/*
 * Functions in the call's arguments. The parent sends each as its index
 * among them; the child rebuilds it as a stub that sends the call back over
 * the channel (child/callback-stubs.ts), and the parent runs the function
 * (parent/calls/callback-host.ts). Only arguments collect functions: in `this`, a
 * result, a thrown error or a callback's own arguments a function still
 * fails as something that can't cross.
 */

/** The functions found in one call's arguments, in encounter order, each with the path it was found at. */
export interface CollectedCallbacks {
  readonly fns: Function[];
  /** `args[1].onProgress`: for the child's errors about the stub and the parent's about the callback. */
  readonly paths: string[];
  /** The tag sent for each: the same object each time, so structured clone, and the child's stub, stay one. */
  readonly tags: CallbackTag[];
}

/** An empty collection, for `encode(args, 'args', { callbacks })`. */
export function collectCallbacks(): CollectedCallbacks {
  return { fns: [], paths: [], tags: [] };
}

/** A function of the arguments: its index among them. The same function twice is one callback. */
export function encodeCallback(encoder: EncodeContext, fn: Function, callbacks: CollectedCallbacks): CallbackTag {
  if (isClassConstructor(fn)) {
    return encoder.fail(
      fn,
      `it is a class (${fn.name || 'anonymous'}); a class can't be called without new, so it can't be a callback. ` +
        'Pass a function that makes the instance instead',
    );
  }
  const index = callbacks.fns.indexOf(fn);
  if (index !== -1) return callbacks.tags[index]!;
  const tag = callbackTag(callbacks.fns.push(fn) - 1, typeof fn.name === 'string' ? fn.name : '');
  callbacks.paths.push(String(encoder.path));
  callbacks.tags.push(tag);
  return tag;
}

/**
 * The receiving side's stub for a callback tag, from its `callback` hook;
 * without one (anywhere but a call's arguments in the child), the tag is one
 * the other side's codec never writes there.
 */
export function rebuildCallback(d: DecodeContext, raw: object, tag: CallbackTag): unknown {
  const stub = d.hooks.callback?.(tag.i, String(d.path), tag.n);
  return d.remember(raw, stub ?? d.malformed('it is a function tag outside the arguments of a call'));
}

/** `class X {}` (not a transpiled one, which is an ordinary function). */
function isClassConstructor(fn: Function): boolean {
  try {
    return Function.prototype.toString.call(fn).startsWith('class');
  } catch {
    return false;
  }
}
