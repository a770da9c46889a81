import { Kind, classify, classifyContext, isLarge, type ClassifyContext } from './classify.js';
import { describeRefused, describeThrown, describeUnsendable } from './describe-unsendable.js';
import type { ErrorBudget } from './error-bounds.js';
import { encodeError } from './encode-error.js';
import {
  encodeBlob,
  encodeEscaped,
  encodeInstance,
  encodeMap,
  encodeNullProto,
  encodeSet,
  encodeSignal,
  encodeSymbol,
} from './encode-tags.js';
import { binaryKind } from './native-types.js';
import { encodeCallback, type CollectedCallbacks } from './callback-tag.js';
import { defineOwn } from './own-props.js';
import { mostlyHoles, presentIndicesFrom } from './sparse-arrays.js';
import { JSON_BUDGET, isJsonPrimitive } from './json-exactness.js';
import { customTag, urlTag } from './tags.js';
import { MAX_NESTING, ValuePath, type PathKey } from './value-path.js';
import type { EncodeContext } from './walk-context.js';

const TOO_DEEP =
  `it is nested more than ${MAX_NESTING} levels deep, more than Node's structured clone can rebuild; ` +
  'flatten it, or send it as a string (JSON)';

/**
 * The copying pass of `encode`: builds a copy in which what structured clone
 * can't carry is replaced by tags. A memo maps each object to its copy, so
 * shared references and cycles stay shared on the other side. On the way it
 * notes whether JSON would carry the copy exactly, so the wire needn't walk it.
 */
export class Encoder implements EncodeContext {
  /** Where the walk is, for error messages. */
  readonly path: ValuePath;
  /** Each object met, with its copy (in the order met). */
  readonly memo = new Map<object, unknown>();
  private readonly context: ClassifyContext;

  /** Blob files written for this value. */
  readonly files: string[] = [];
  /** Would JSON carry the copy exactly? Undefined once a part (an error, a custom value) leaves it to the wire's check. */
  private json: boolean | undefined = true;
  /** Entries walked: with the objects remembered, the size of the value for JSON_BUDGET. */
  private entries = 0;

  /** @param leftBehind For `this` only: a field of the root instance that can't cross is left behind (a tag), its path pushed here. */
  constructor(
    root: string,
    readonly signals: AbortSignal[] | undefined,
    readonly blobDir: string | undefined,
    readonly leftBehind?: string[],
    /** Collects the functions of the call's arguments (parent side only); without it a function is unsendable. */
    readonly callbacks?: CollectedCallbacks,
    /** Set for a thrown value: its errors are cut to the bounds of error-bounds.ts. */
    readonly errorBudget?: ErrorBudget,
  ) {
    this.context = classifyContext(blobDir !== undefined);
    this.path = new ValuePath(root);
  }

  encode(value: unknown): unknown {
    switch (typeof value) {
      case 'symbol':
        return encodeSymbol(this, value);
      case 'function':
        // The same function twice is one tag object, shared: left to the wire's check.
        return this.callbacks ? this.unsure(encodeCallback(this, value, this.callbacks)) : this.fail(value);
      case 'object':
        return value === null ? null : this.memo.has(value) ? this.shared(value) : this.object(value);
      case 'string':
        return this.context.offload && isLarge(value) ? encodeBlob(this, value, 'string') : value;
      default:
        if (this.json !== false && !isJsonPrimitive(value)) this.json = false;
        return value;
    }
  }

  /**
   * Encodes `value` found under `key`, with the key on the path for error
   * messages. Objects go straight to `object`: every frame saved per level is
   * depth the caller's stack can reach.
   */
  at(key: PathKey, value: unknown): unknown {
    const keys = this.path.keys;
    keys.push(key);
    this.entries++;
    const out =
      typeof value === 'object' && value !== null ? (this.memo.has(value) ? this.shared(value) : this.object(value)) : this.encode(value);
    keys.pop();
    return out;
  }

  /** Reads `obj[key]` and encodes it under `key`; a getter that throws becomes a SerializationError at that path. */
  atProperty(obj: object, key: string): unknown {
    return this.at(key, this.read(obj, key));
  }

  /** `obj[key]`, or a SerializationError at `key` if a getter throws (its error is the cause). */
  read(obj: object, key: string): unknown {
    try {
      return (obj as Record<string, unknown>)[key];
    } catch (cause) {
      this.path.keys.push(key);
      return this.fail(obj, `reading it threw ${describeThrown(cause)} (a getter); the error is this one's cause`, cause);
    }
  }

  /** Fails at the current path, saying why `value` can't cross. */
  fail(value: unknown, reason = describeUnsendable(value) ?? 'it is of an unsupported type', cause?: unknown): never {
    return this.path.fail(reason, cause);
  }

  remember<T>(obj: object, out: T): T {
    this.memo.set(obj, out);
    return out;
  }

  /** The copy of an object met before: shared on the other side, which JSON would not keep. */
  private shared(obj: object): unknown {
    return this.notJson(this.memo.get(obj));
  }

  /** Whether JSON carries the copy exactly (undefined: the wire must check); in half of JSON_BUDGET, as tags ~double the count. */
  jsonExact(): boolean | undefined {
    return this.json === true ? this.memo.size + this.entries <= JSON_BUDGET / 2 : this.json;
  }

  /** Leaves JSON to the wire's own check, for a part whose copy this walk doesn't vouch for. */
  private unsure<T>(out: T): T {
    if (this.json) this.json = undefined;
    return out;
  }

  private notJson<T>(out: T): T {
    this.json = false;
    return out;
  }

  private object(obj: object): unknown {
    if (this.path.depth > MAX_NESTING) this.fail(obj, TOO_DEEP);
    // Case bodies stay one call each: locals here would enlarge the frame of every level.
    const kind = classify(obj, this.context);
    switch (kind) {
      case Kind.Record:
        return this.props(obj, this.remember(obj, {}));
      case Kind.TaggedRecord:
        return encodeEscaped(this, obj);
      case Kind.Array:
        return this.array(obj as readonly unknown[]);
      case Kind.Map:
        return this.notJson(encodeMap(this, obj as Map<unknown, unknown>));
      case Kind.Set:
        return this.notJson(encodeSet(this, obj as Set<unknown>));
      case Kind.NativeLeaf:
        return this.notJson(this.remember(obj, obj));
      case Kind.LargeBinary:
        return this.remember(obj, encodeBlob(this, obj as ArrayBufferView | ArrayBuffer, binaryKind(obj)));
      case Kind.NullProto:
        return encodeNullProto(this, obj);
      case Kind.Custom: {
        const transformer = this.context.custom!.findApplicable(obj)!;
        return this.unsure(this.remember(obj, customTag(transformer.name, transformer.serialize(obj))));
      }
      case Kind.Error:
        return this.unsure(encodeError(this, obj as Error));
      case Kind.Url:
        return this.remember(obj, urlTag((obj as URL).href));
      case Kind.Signal:
        return encodeSignal(this, obj as AbortSignal);
      case Kind.Instance:
        return encodeInstance(this, obj);
      default:
        return this.fail(obj, describeRefused(obj, kind));
    }
  }

  /** Copies own enumerable props (or the allowed ones) into `out`. */
  props<T extends object>(obj: object, out: T, only?: readonly string[]): T {
    for (const key of only ?? Object.keys(obj)) defineOwn(out, key, this.at(key, this.read(obj, key)));
    return out;
  }

  /** Present elements only: holes stay holes, and a huge sparse array costs what it holds. */
  private array(array: readonly unknown[]): unknown[] {
    const out: unknown[] = this.remember(array, new Array(array.length));
    let holes = 0;
    for (let i = 0; i < array.length; i++) {
      const value = array[i];
      if (value !== undefined || i in array) out[i] = this.at(i, value);
      else if (this.notJson(mostlyHoles(++holes, i))) {
        for (const index of presentIndicesFrom(array, i + 1)) out[index] = this.at(index, array[index]);
        break;
      }
    }
    return out;
  }
}
