import { IsolatedCallError } from '../errors/isolated-call-error.js';
import { classById, symbolById, transformerByName } from './registrations.js';
import { defineLeftBehind } from './left-behind-field.js';
import { rebuildCallback } from './callback-tag.js';
import { binaryViews, builtinErrors } from './native-types.js';
import { isPlainRecord, parseTag } from './parse-tag.js';
import { defineData, defineHidden, defineOwn } from './own-props.js';
import {
  ErrorClassSource,
  TAG,
  hasTagKey,
  Tag,
  type BlobTag,
  type EncodedProps,
  type ErrorTag,
  type InstanceTag,
  type SymbolTag,
  type TagObject,
} from './tags.js';
import type { DecodeContext } from './walk-context.js';

/**
 * Rebuilds the value a (checked) tag stands for. `raw` is the tag object as
 * it arrived: the memo is keyed by it, so a value referenced twice is rebuilt
 * once.
 */
export function rebuildTag(d: DecodeContext, raw: object, tag: TagObject): unknown {
  switch (tag[TAG]) {
    case Tag.Instance:
      return instance(d, raw, tag);
    case Tag.Error:
      return error(d, raw, tag);
    case Tag.Symbol:
      return symbol(d, tag);
    case Tag.Url: {
      const url = URL.canParse(tag.h) ? new URL(tag.h) : d.malformed(`it is a URL tag whose href ${JSON.stringify(tag.h)} doesn't parse`);
      return d.remember(raw, url);
    }
    case Tag.Custom: {
      const transformer = transformerByName(tag.n);
      if (!transformer)
        d.fail(
          `no custom transformer named "${tag.n}" is registered in ${d.hooks.side}; call registerCustom() in a module both sides load`,
        );
      return d.remember(raw, transformer.deserialize(tag.v));
    }
    case Tag.Signal: {
      const signal = d.hooks.signals?.[tag.i];
      return d.remember(raw, signal ?? d.fail('an AbortSignal can only be passed as an argument of the call'));
    }
    case Tag.Escaped: {
      const out = d.remember(raw, {});
      for (const [key, value] of tag.v) defineOwn(out, key, d.at(key, value));
      return out;
    }
    case Tag.Blob:
      return d.remember(raw, blob(d, tag));
    case Tag.NullProto:
      return fill(d, d.remember(raw, Object.create(null)), tag.p);
    case Tag.LeftBehind:
      // Only a field of `this` itself may be left behind (see fillThis): anywhere else it is a broken message.
      return d.malformed(`it is a left-behind tag (for ${JSON.stringify(tag.w)}) outside the own fields of \`this\``);
    case Tag.Callback:
      return rebuildCallback(d, raw, tag);
  }
}

function instance(d: DecodeContext, raw: object, tag: InstanceTag): object {
  const cls = classById(tag.id);
  if (!cls) {
    d.fail(
      `class "${tag.id}" is not registered in ${d.hooks.side}. Register it where both processes load it: ` +
        `in the module that defines the isolated method (@Isolated({ classes: [${tag.id}] }) or registerClass(${tag.id})), not ` +
        `only in the main script`,
    );
  }
  const out = d.remember(raw, Object.create(cls.prototype));
  return d.path.root === 'this' && d.path.depth === 0 ? fillThis(d, out, tag.p) : fill(d, out, tag.p);
}

/** Fills the rebuilt `this`: as `fill`, except that fields the parent left behind become accessors that throw when read. */
function fillThis(d: DecodeContext, target: object, props: EncodedProps): object {
  for (const key of Object.keys(props)) {
    const value = props[key];
    const tag = isPlainRecord(value) && hasTagKey(value) ? parseTag(value) : undefined;
    if (typeof tag === 'object' && tag[TAG] === Tag.LeftBehind) defineLeftBehind(target, key, tag);
    else defineData(target, key, d.at(key, value));
  }
  return target;
}

function error(d: DecodeContext, raw: object, tag: ErrorTag): Error {
  const over = d.errorCheck?.over(tag.n, tag.m, tag.s);
  if (over) d.malformed(`it is a thrown value over the bounds its sender cuts to: ${over}`);
  const depth = d.path.depth;
  try {
    const cls = errorClass(d, tag);
    const err: Error = d.remember(raw, Object.create((cls ?? Error).prototype));
    defineHidden(err, 'message', tag.m);
    if (tag.s !== undefined) defineHidden(err, 'stack', tag.s);
    if (!cls || err.name !== tag.n) defineHidden(err, 'name', tag.n);
    if (tag.c) defineHidden(err, 'cause', d.at('cause', tag.c[0]));
    for (const key of Object.keys(tag.p)) defineData(err, key, d.at(key, tag.p[key]), !tag.h?.includes(key));
    return err;
  } catch (cause) {
    // A ProtocolError (an unreadable blob file) is about the channel, not this error.
    if (cause instanceof IsolatedCallError && cause.code !== 'ERR_ISOLATED_SERIALIZE') throw cause;
    // Never let a property that can't be rebuilt hide the error itself.
    d.path.unwindTo(depth);
    const fallback = new Error(tag.m);
    defineHidden(fallback, 'name', tag.n);
    if (tag.s !== undefined) defineHidden(fallback, 'stack', tag.s);
    return d.remember(raw, fallback);
  }
}

function errorClass(d: DecodeContext, tag: ErrorTag): Function | undefined {
  const registered = classById(tag.id);
  switch (tag.r) {
    case ErrorClassSource.Registered:
      return registered ?? d.hooks.findErrorClass?.(tag.id);
    case ErrorClassSource.Builtin:
      return builtinErrors[tag.id];
    default: {
      const found = registered ?? d.hooks.findErrorClass?.(tag.id);
      return typeof found === 'function' && found.prototype instanceof Error ? found : undefined;
    }
  }
}

function symbol(d: DecodeContext, tag: SymbolTag): symbol {
  if (tag.g) return Symbol.for(tag.k);
  const sym = symbolById(tag.k);
  return typeof sym === 'symbol'
    ? sym
    : d.fail(`symbol "${tag.k}" is not registered in ${d.hooks.side}; call registerSymbol() in a module both sides load`);
}

function blob(d: DecodeContext, tag: BlobTag): unknown {
  const { f: file, k: kind } = tag;
  const View = binaryViews[kind];
  if (kind !== 'string' && kind !== 'Buffer' && kind !== 'ArrayBuffer' && !View) {
    return d.malformed(`it is binary data of an unknown kind "${kind}" (two versions of isolated-call?)`);
  }
  const read = d.hooks.readBlob ?? d.fail(`its ${kind} was sent beside the message, but large data is not expected here`);
  let data: Buffer | string;
  try {
    data = read(file, kind === 'string');
  } catch (cause) {
    if (cause instanceof IsolatedCallError) throw cause;
    return d.fail(
      `its ${kind} was sent beside the message in ${file}, which could not be read: ` +
        `${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    );
  }
  if (kind === 'string') return typeof data === 'string' ? data : d.fail('its string, sent beside the message, was read back as bytes');
  if (typeof data === 'string') return d.fail(`its ${kind}, sent beside the message, was read back as a string`);
  if (kind === 'Buffer') return data;
  // A large read gets an ArrayBuffer of its own, so views start aligned at 0.
  const whole = data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.buffer.byteLength === data.length;
  const buffer = whole && data.buffer instanceof ArrayBuffer ? data.buffer : new Uint8Array(data).buffer;
  if (!View) return buffer;
  const size = View.BYTES_PER_ELEMENT ?? 1;
  if (buffer.byteLength % size !== 0) return d.malformed(`its ${kind} has ${buffer.byteLength} bytes, not a whole number of elements`);
  return new View(buffer, 0, buffer.byteLength / size);
}

/**
 * Defines each prop on the rebuilt object with defineProperty, not
 * assignment: a setter on the prototype (an `accessor` field) must not run
 * against a half-built instance.
 */
function fill(d: DecodeContext, target: object, props: EncodedProps): object {
  for (const key of Object.keys(props)) defineData(target, key, d.at(key, props[key]));
  return target;
}
