import { SerializationError } from '../errors/serialization-error.js';
import { classOf, registeredClassId } from './classify.js';
import type { Encoder } from './encoder.js';
import { builtinErrors } from './native-types.js';
import { defineOwn } from './own-props.js';
import { ErrorClassSource, errorTag, type EncodedProps, type ErrorTag } from './tags.js';

/**
 * Encodes an Error with its class, message, stack, cause and own properties.
 * An error must always reach the other side, so a property that can't cross
 * is replaced by a note rather than failing the whole error.
 */
export function encodeError(encoder: Encoder, err: Error): ErrorTag {
  const ctor = classOf(Object.getPrototypeOf(err));
  const registered = registeredClassId(Object.getPrototypeOf(err));
  const builtin = typeof ctor === 'function' && builtinErrors[ctor.name] === ctor;
  const p: EncodedProps = {};
  const tag = encoder.remember(
    err,
    errorTag({
      id: registered ?? (typeof ctor === 'function' ? ctor.name : 'Error'),
      r: registered !== undefined ? ErrorClassSource.Registered : builtin ? ErrorClassSource.Builtin : ErrorClassSource.Unknown,
      n: String(err.name),
      m: String(err.message),
      s: typeof err.stack === 'string' ? err.stack : undefined,
      p,
    }),
  );
  for (const key of Object.getOwnPropertyNames(err)) {
    if (key === 'stack' || key === 'message') continue;
    let value: unknown;
    const depth = encoder.path.depth;
    try {
      value = encoder.atProperty(err, key);
    } catch (cause) {
      encoder.path.unwindTo(depth);
      value = `[cannot cross: ${cause instanceof SerializationError ? cause.message : String(cause)}]`;
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
