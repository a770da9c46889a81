import { Kind, classify, classifyContext, isLarge, type ClassifyContext } from './classify.js';
import { describeRefused, describeThrown, describeUnsendable } from './describe-unsendable.js';
import type { ErrorBudget } from './error-bounds.js';
import { encodeError } from './encode-error.js';
import { encodeBlob, encodeEscaped, encodeInstance, encodeNullProto, encodeSignal, encodeSymbol } from './encode-tags.js';
import { binaryKind } from './native-types.js';
import { encodeCallback, type CollectedCallbacks } from './callback-tag.js';
import { defineOwn } from './own-props.js';
import { mostlyHoles, presentIndicesFrom } from './present-indices.js';
import { discardBlobs } from './side-channel.js';
import { customTag, urlTag } from './tags.js';
import { MAX_NESTING, ValuePath, type PathKey } from './value-path.js';
import type { EncodeContext, WalkMark } from './walk-context.js';

/**
 * The copying pass of `encode`: builds a copy in which what structured clone
 * can't carry is replaced by tags. A memo maps each object to its copy, so
 * shared references and cycles stay shared on the other side.
 */
export class Encoder implements EncodeContext {
  /** Where the walk is, for error messages. */
  readonly path: ValuePath;
  private readonly memo = new Map<object, unknown>();
  private readonly context: ClassifyContext;

  /** Payload files written for this value. */
  readonly files: string[] = [];

  /**
   * @param leftBehind When given, the root instance's own fields that can't
   *   cross are left behind (a tag, see tags.ts) instead of failing the walk,
   *   and their paths are pushed here (`this.options (this.options.onProgress)`
   *   when what failed is inside the field). Only for `this`.
   */
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
        return this.callbacks ? encodeCallback(this, value, this.callbacks) : this.fail(value);
      case 'object':
        return value === null ? null : this.memo.has(value) ? this.memo.get(value) : this.object(value);
      case 'string':
        return this.context.offload && isLarge(value) ? encodeBlob(this, value, 'string') : value;
      default:
        return value;
    }
  }

  /**
   * Encodes `value` found under `key`, with the key on the path for error
   * messages. Objects go straight to `object`: the walk recurses once per
   * level through at -> object -> (props | array), and every frame saved is
   * depth the caller's stack can reach.
   */
  at(key: PathKey, value: unknown): unknown {
    const keys = this.path.keys;
    keys.push(key);
    const out =
      typeof value === 'object' && value !== null ? (this.memo.has(value) ? this.memo.get(value) : this.object(value)) : this.encode(value);
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

  private object(obj: object): unknown {
    if (this.path.depth > MAX_NESTING) {
      this.fail(
        obj,
        `it is nested more than ${MAX_NESTING} levels deep, more than Node's structured clone can rebuild; flatten it, or send it ` +
          `as a string (JSON)`,
      );
    }
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
        return this.map(obj as Map<unknown, unknown>);
      case Kind.Set:
        return this.set(obj as Set<unknown>);
      case Kind.NativeLeaf:
        return this.remember(obj, obj);
      case Kind.LargeBinary:
        return this.remember(obj, encodeBlob(this, obj as ArrayBufferView | ArrayBuffer, binaryKind(obj)));
      case Kind.NullProto:
        return encodeNullProto(this, obj);
      case Kind.Custom: {
        const transformer = this.context.custom!.findApplicable(obj)!;
        return this.remember(obj, customTag(transformer.name, transformer.serialize(obj)));
      }
      case Kind.Error:
        return encodeError(this, obj as Error);
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
      else if (mostlyHoles(++holes, i)) {
        for (const index of presentIndicesFrom(array, i + 1)) out[index] = this.at(index, array[index]);
        break;
      }
    }
    return out;
  }

  private map(map: Map<unknown, unknown>): Map<unknown, unknown> {
    const out = this.remember(map, new Map<unknown, unknown>());
    let i = 0;
    for (const [k, v] of map) {
      out.set(this.at({ label: `Map key #${i}` }, k), this.at({ label: `Map value #${i}` }, v));
      i++;
    }
    return out;
  }

  private set(set: Set<unknown>): Set<unknown> {
    const out = this.remember(set, new Set<unknown>());
    let i = 0;
    for (const v of set) out.add(this.at({ label: `Set item #${i++}` }, v));
    return out;
  }

  /** A mark to undo to: how much the walk has remembered and written so far. */
  mark(): WalkMark {
    return { remembered: this.memo.size, written: this.files.length };
  }

  /**
   * Forgets the objects remembered and deletes the files written since
   * `mark`, after a part of the walk failed and is replaced by something else.
   */
  undoTo(mark: WalkMark): void {
    // The memo lists objects in the order they were met (deleting while iterating is safe).
    let index = 0;
    for (const seen of this.memo.keys()) if (index++ >= mark.remembered) this.memo.delete(seen);
    discardBlobs(this.files.splice(mark.written));
  }
}
