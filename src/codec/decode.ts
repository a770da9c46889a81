import { IsolatedCallError } from '../errors/isolated-call-error.js';
import { SerializationError } from '../errors/serialization-error.js';
import { globalState } from '../shared/global-state.js';
import { defineOwn } from './encode.js';
import { binaryViews, builtinErrors } from './native-types.js';
import { TAG, Tag, isTag, type Encoded, type TagObject } from './tags.js';
import { formatPath, type PathKey } from './value-path.js';

export interface DecodeHooks {
  /** Live signals to hand out for signal tags (child side). */
  readonly signals?: readonly AbortSignal[];
  /** Finds an error class the registry doesn't know, e.g. among the target module's exports. */
  readonly findErrorClass?: (name: string) => Function | undefined;
  /**
   * Reads the file a blob tag names (side-channel.ts). Without it, blob tags
   * are refused. What it throws as an IsolatedCallError is rethrown unchanged.
   */
  readonly readBlob?: (file: string, asString: boolean) => Buffer | string;
  /** Where this side is, for messages: `the child` or `the parent`. */
  readonly side: string;
}

/**
 * Rebuilds a value produced by `encode`. The tree came fresh out of
 * structured clone and belongs to nobody else, so tags are replaced in place.
 *
 * @throws SerializationError naming the path of a tag this side can't rebuild.
 */
export function decode(encoded: Encoded, root: string, hooks: DecodeHooks): unknown {
  if (!encoded.t) return encoded.v;
  return new Decoder(root, hooks).decode(encoded.v);
}

class Decoder {
  private readonly keys: PathKey[] = [];
  private readonly memo = new Map<object, unknown>();
  private readonly registry = globalState().registry;

  constructor(
    private readonly root: string,
    private readonly hooks: DecodeHooks,
  ) {}

  decode(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    if (this.memo.has(value)) return this.memo.get(value);
    if (isTag(value)) return this.tag(value);
    this.memo.set(value, value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (i in value) this.replace(value, i, value[i]);
    } else if (value instanceof Map) {
      const entries = [...value];
      value.clear();
      entries.forEach(([k, v], i) => value.set(this.at({ label: `Map key #${i}` }, k), this.at({ label: `Map value #${i}` }, v)));
    } else if (value instanceof Set) {
      const items = [...value];
      value.clear();
      items.forEach((v, i) => value.add(this.at({ label: `Set item #${i}` }, v)));
    } else if (Object.getPrototypeOf(value) === Object.prototype) {
      for (const key of Object.keys(value)) this.replace(value as Record<string, unknown>, key, (value as Record<string, unknown>)[key]);
    }
    return value;
  }

  private replace(target: object, key: string | number, value: unknown): void {
    if (typeof value !== 'object' || value === null) return;
    const decoded = this.at(key, value);
    if (decoded !== value) defineOwn(target, String(key), decoded);
  }

  private at(key: PathKey, value: unknown): unknown {
    this.keys.push(key);
    const out = this.decode(value);
    this.keys.pop();
    return out;
  }

  private fail(message: string): never {
    throw new SerializationError(formatPath(this.root, this.keys), message);
  }

  private tag(tag: TagObject): unknown {
    switch (tag[TAG]) {
      case Tag.Instance:
        return this.instance(tag);
      case Tag.Error:
        return this.error(tag);
      case Tag.Symbol:
        return this.symbol(tag);
      case Tag.Url:
        return this.remember(tag, new URL(tag.h as string));
      case Tag.Custom: {
        const transformer = this.registry.customTransformerRegistry.findByName(tag.n as string);
        if (!transformer) this.fail(`no custom transformer named "${String(tag.n)}" is registered in ${this.hooks.side}; call registerCustom() in a module both sides load`);
        return this.remember(tag, transformer.deserialize(tag.v));
      }
      case Tag.Signal: {
        const signal = this.hooks.signals?.[tag.i as number];
        if (!signal) this.fail(`an AbortSignal can only be passed as an argument of the call`);
        return this.remember(tag, signal);
      }
      case Tag.Escaped: {
        const out = this.remember(tag, {});
        for (const [key, value] of tag.v as [string, unknown][]) defineOwn(out, key, this.at(key, value));
        return out;
      }
      case Tag.Blob:
        return this.remember(tag, this.blob(tag));
      case Tag.NullProto:
        return this.fill(this.remember(tag, Object.create(null) as object), tag.p);
      default:
        return this.fail(`it carries an unknown tag "${String(tag[TAG])}" (two versions of isolated-call?)`);
    }
  }

  private blob(tag: TagObject): unknown {
    const file = tag.f as string;
    const kind = tag.k as string;
    try {
      if (!this.hooks.readBlob) return this.fail(`large payloads sent beside the message are not accepted here`);
      if (kind === 'string') return this.hooks.readBlob(file, true);
      const bytes = this.hooks.readBlob(file, false) as Buffer;
      if (kind === 'Buffer') return bytes;
      // A large read gets an ArrayBuffer of its own, so views start aligned at 0.
      const buffer = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
      if (kind === 'ArrayBuffer') return buffer;
      const View = binaryViews[kind];
      if (!View) return this.fail(`it is binary data of an unknown kind "${kind}" (two versions of isolated-call?)`);
      return View === DataView ? new DataView(buffer) : new (View as Uint8ArrayConstructor)(buffer, 0, buffer.byteLength / (View as Uint8ArrayConstructor).BYTES_PER_ELEMENT);
    } catch (error) {
      if (error instanceof IsolatedCallError) throw error;
      return this.fail(`its ${kind} was sent beside the message in ${file}, which could not be read: ${(error as Error).message}`);
    }
  }

  private instance(tag: TagObject): unknown {
    const cls = this.registry.classRegistry.getValue(tag.id as string);
    if (!cls) {
      this.fail(
        `class "${String(tag.id)}" is not registered in ${this.hooks.side}. Register it where both processes load it: ` +
          `in the module that defines the isolated method (@Isolated({ classes: [${String(tag.id)}] }) or registerClass(${String(tag.id)})), not only in the main script`,
      );
    }
    return this.fill(this.remember(tag, Object.create(cls.prototype as object) as object), tag.p);
  }

  private error(tag: TagObject): unknown {
    const name = tag.n as string;
    const message = tag.m as string;
    const stack = tag.s as string | undefined;
    try {
      const cls = this.errorClass(tag);
      const err = this.remember(tag, Object.create((cls ?? Error).prototype as object) as Error);
      hidden(err, 'message', message);
      if (stack !== undefined) hidden(err, 'stack', stack);
      if (!cls || err.name !== name) hidden(err, 'name', name);
      if (tag.c) hidden(err, 'cause', this.at('cause', (tag.c as unknown[])[0]));
      const props = tag.p as Record<string, unknown>;
      const hiddenKeys = tag.h as string[] | undefined;
      for (const key of Object.keys(props)) {
        const value = this.at(key, props[key]);
        Object.defineProperty(err, key, { value, enumerable: !hiddenKeys?.includes(key), writable: true, configurable: true });
      }
      return err;
    } catch {
      // Never let a property that can't be rebuilt hide the error itself.
      const fallback = new Error(message);
      hidden(fallback, 'name', name);
      if (stack !== undefined) hidden(fallback, 'stack', stack);
      this.memo.set(tag, fallback);
      return fallback;
    }
  }

  private errorClass(tag: TagObject): Function | undefined {
    const id = tag.id as string;
    if (tag.r === 1) return this.registry.classRegistry.getValue(id) ?? this.hooks.findErrorClass?.(id);
    if (tag.r === 2) return builtinErrors[id];
    const found = this.registry.classRegistry.getValue(id) ?? this.hooks.findErrorClass?.(id);
    return typeof found === 'function' && found.prototype instanceof Error ? found : undefined;
  }

  private symbol(tag: TagObject): symbol {
    if (tag.g) return Symbol.for(tag.k as string);
    const sym = this.registry.symbolRegistry.getValue(tag.k as string);
    if (sym === undefined) this.fail(`symbol "${String(tag.k)}" is not registered in ${this.hooks.side}; call registerSymbol() in a module both sides load`);
    return sym as symbol;
  }

  private fill(target: object, props: unknown): object {
    const record = props as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      // defineProperty, not assignment: a setter on the prototype (an
      // `accessor` field) must not run against a half-built instance.
      Object.defineProperty(target, key, { value: this.at(key, record[key]), enumerable: true, writable: true, configurable: true });
    }
    return target;
  }

  private remember<T>(tag: object, out: T): T {
    this.memo.set(tag, out);
    return out;
  }
}

function hidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false, writable: true, configurable: true });
}
