import { SerializationError } from '../errors/serialization-error.js';
import { classOf, registeredClassId } from './classify.js';
import { describeThrown } from './describe-unsendable.js';
import { MAX_ERROR_NAME, cutText } from './error-bounds.js';
import { builtinErrors } from './native-types.js';
import { defineOwn } from './own-props.js';
import { ErrorClassSource, errorTag, type EncodedProps, type ErrorTag } from './tags.js';
import type { EncodeContext } from './walk-context.js';

/**
 * Encodes an Error with its class, message, stack, cause and own properties.
 * An error must always reach the other side, so a property that can't cross
 * is replaced by a note rather than failing the whole error. Its name,
 * message and stack are the error itself: a getter of one that throws fails
 * the error as any throwing getter fails its value (a SerializationError at
 * `error.message`), and a thrown value (the encoder's `errorBudget`) is cut to
 * the bounds of error-bounds.ts.
 */
export function encodeError(encoder: EncodeContext, err: Error): ErrorTag {
  const budget = encoder.errorBudget;
  if (budget && budget.errorsLeft === 0) return encoder.remember(err, budget.overflowNote());
  if (budget) budget.errors++;
  const proto: unknown = Object.getPrototypeOf(err);
  const { id, r } = classIdOf(proto as object | null);
  const name = text(encoder, err, 'name');
  const message = text(encoder, err, 'message');
  const stack = text(encoder, err, 'stack');
  const p: EncodedProps = {};
  const tag = encoder.remember(
    err,
    errorTag({
      id,
      r,
      n: cutText(name ?? 'undefined', MAX_ERROR_NAME),
      m: budget ? budget.text(message ?? 'undefined') : (message ?? 'undefined'),
      s: stack === undefined ? undefined : budget ? budget.text(stack) : stack,
      p,
    }),
  );
  for (const key of Object.getOwnPropertyNames(err)) {
    if (key === 'stack' || key === 'message') continue;
    let value: unknown;
    const depth = encoder.path.depth;
    try {
      value = key === 'errors' && budget ? errorList(encoder, err) : encoder.atProperty(err, key);
    } catch (cause) {
      encoder.path.unwindTo(depth);
      value = `[cannot cross: ${cause instanceof SerializationError ? cause.message : describeThrown(cause)}]`;
    }
    if (key === 'cause') tag.c = [value];
    else if (key !== 'name') {
      defineOwn(p, key, value);
      // Such as AggregateError's `errors`: it must stay out of Object.keys() on the other side too.
      if (!Object.prototype.propertyIsEnumerable.call(err, key)) (tag.h ??= []).push(key);
    }
  }
  return tag;
}

/** The class's registered id or name, and where the receiver finds it; a class whose `name` can't be read is a plain Error. */
function classIdOf(proto: object | null): { id: string; r: ErrorClassSource } {
  try {
    const ctor = classOf(proto);
    const registered = registeredClassId(proto);
    if (registered !== undefined) return { id: registered, r: ErrorClassSource.Registered };
    if (typeof ctor !== 'function') return { id: 'Error', r: ErrorClassSource.Unknown };
    const ctorName = ctor.name;
    const id = typeof ctorName === 'string' ? cutText(ctorName, MAX_ERROR_NAME) : 'Error';
    return { id, r: builtinErrors[id] === ctor ? ErrorClassSource.Builtin : ErrorClassSource.Unknown };
  } catch {
    return { id: 'Error', r: ErrorClassSource.Unknown };
  }
}

/**
 * `err[key]` as text (`stack`: only a string counts, else undefined). A
 * getter that throws, or a value whose conversion to a string throws, fails
 * at `<root>.<key>` with the thrown error as the cause.
 */
function text(encoder: EncodeContext, err: Error, key: 'name' | 'message' | 'stack'): string | undefined {
  const value = encoder.read(err, key);
  if (key === 'stack' && typeof value !== 'string') return undefined;
  if (typeof value === 'string') return value;
  try {
    return String(value);
  } catch (cause) {
    encoder.path.keys.push(key);
    return encoder.fail(value, `turning it into a string threw ${describeThrown(cause)}`, cause);
  }
}

/**
 * A thrown value's `errors` list (AggregateError's): only as many entries as
 * the budget has room for, then a note error saying how many were cut.
 */
function errorList(encoder: EncodeContext, err: Error): unknown {
  const list = encoder.read(err, 'errors');
  const budget = encoder.errorBudget!;
  const room = budget.errorsLeft - 1; // one for the note
  if (!Array.isArray(list) || list.length <= budget.errorsLeft) return encoder.at('errors', list);
  const kept = encoder.at('errors', list.slice(0, Math.max(0, room))) as unknown[];
  kept.push(budget.listNote(list.length - Math.max(0, room)));
  return kept;
}
