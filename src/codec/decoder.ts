import { types } from 'node:util';
import { Kind, classifyReceived } from './classify.js';
import { ErrorBoundsCheck } from './error-bounds.js';
import { rebuildTag } from './rebuild-tag.js';
import { defineOwn } from './own-props.js';
import { isPlainRecord, parseTag } from './parse-tag.js';
import { mostlyHoles, presentIndicesFrom } from './sparse-arrays.js';
import type { DecodeContext, DecodeHooks } from './walk-context.js';
import { MAX_NESTING, ValuePath, type PathKey } from './value-path.js';

/** The walk of `decode`: replaces tags in place, remembering each so shared references stay shared. */
export class Decoder implements DecodeContext {
  /** Where the walk is, for error messages. */
  readonly path: ValuePath;
  private readonly memo = new Map<object, unknown>();
  /** Counts the errors of a thrown value against the bounds its sender keeps (hooks.errorBounds). */
  readonly errorCheck: ErrorBoundsCheck | undefined;

  constructor(
    root: string,
    readonly hooks: DecodeHooks,
  ) {
    this.path = new ValuePath(root);
    this.errorCheck = hooks.errorBounds ? new ErrorBoundsCheck() : undefined;
  }

  decode(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    if (this.memo.has(value)) return this.memo.get(value);
    const kind = classifyReceived(value);
    if (kind === Kind.TaggedRecord && isPlainRecord(value)) {
      const tag = parseTag(value);
      return typeof tag === 'string' ? this.malformed(tag) : rebuildTag(this, value, tag);
    }
    this.memo.set(value, value);
    // One call per kind, no closures: each frame here is repeated once per level of nesting.
    if (kind === Kind.Record && isPlainRecord(value)) this.record(value);
    else if (kind === Kind.Array && Array.isArray(value)) this.array(value);
    else if (kind === Kind.Map && types.isMap(value)) this.map(value);
    else if (kind === Kind.Set && types.isSet(value)) this.set(value);
    return value;
  }

  /** Decodes `value` found under `key`, with the key on the path for error messages. */
  at(key: PathKey, value: unknown): unknown {
    const keys = this.path.keys;
    keys.push(key);
    if (keys.length > MAX_NESTING) this.fail(`it is nested more than ${MAX_NESTING} levels deep`);
    const out = this.decode(value);
    keys.pop();
    return out;
  }

  /** Fails at the current path. */
  fail(reason: string, cause?: unknown): never {
    return this.path.fail(reason, cause);
  }

  /** Fails at the current path for something the other side's codec never writes. */
  malformed(reason: string): never {
    const error = this.hooks.malformed?.(String(this.path), reason);
    if (error) throw error;
    return this.path.fail(reason);
  }

  remember<T>(tag: object, out: T): T {
    this.memo.set(tag, out);
    return out;
  }

  private record(record: Record<string, unknown>): void {
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (typeof value !== 'object' || value === null) continue;
      const decoded = this.at(key, value);
      if (decoded !== value) defineOwn(record, key, decoded);
    }
  }

  /** Present elements only, as the encoder walks them. */
  private array(array: unknown[]): void {
    let holes = 0;
    for (let i = 0; i < array.length; i++) {
      const value = array[i];
      if (typeof value === 'object' && value !== null) array[i] = this.at(i, value);
      else if (value === undefined && !(i in array) && mostlyHoles(++holes, i)) {
        for (const index of presentIndicesFrom(array, i + 1)) array[index] = this.at(index, array[index]);
        break;
      }
    }
  }

  private map(map: Map<unknown, unknown>): void {
    const entries = [...map];
    map.clear();
    entries.forEach(([k, v], i) => {
      map.set(this.at({ label: `Map key #${i}` }, k), this.at({ label: `Map value #${i}` }, v));
    });
  }

  private set(set: Set<unknown>): void {
    const items = [...set];
    set.clear();
    items.forEach((v, i) => {
      set.add(this.at({ label: `Set item #${i}` }, v));
    });
  }
}
