import { Kind, classify, type ClassifyContext } from './classify.js';
import { rebuildTag } from './rebuild-tag.js';
import { defineOwn } from './own-props.js';
import { isPlainRecord, parseTag } from './parse-tag.js';
import { forEachPresent } from './present-indices.js';
import type { DecodeHooks } from './decode.js';
import { MAX_NESTING, ValuePath, type PathKey } from './value-path.js';

/**
 * What came out of structured clone is classified like what went in, but
 * without custom transformers: on this side every object is data or a tag.
 */
const RECEIVED: ClassifyContext = { offload: false, custom: undefined };

/** The walk of `decode`: replaces tags in place, remembering each so shared references stay shared. */
export class Decoder {
  /** Where the walk is, for error messages. */
  readonly path: ValuePath;
  private readonly memo = new Map<object, unknown>();

  constructor(
    root: string,
    readonly hooks: DecodeHooks,
  ) {
    this.path = new ValuePath(root);
  }

  decode(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    if (this.memo.has(value)) return this.memo.get(value);
    const kind = classify(value, RECEIVED);
    if (kind === Kind.TaggedRecord && isPlainRecord(value)) {
      const tag = parseTag(value);
      return typeof tag === 'string' ? this.fail(tag) : rebuildTag(this, value, tag);
    }
    this.memo.set(value, value);
    if (kind === Kind.Record && isPlainRecord(value)) {
      for (const key of Object.keys(value)) this.replace(value, key, value[key]);
    } else if (kind === Kind.Array && Array.isArray(value)) {
      const array: unknown[] = value;
      forEachPresent(array, (item, i) => this.replace(array, i, item));
    } else if (kind === Kind.Map && value instanceof Map) {
      const entries = [...value];
      value.clear();
      entries.forEach(([k, v], i) => value.set(this.at({ label: `Map key #${i}` }, k), this.at({ label: `Map value #${i}` }, v)));
    } else if (kind === Kind.Set && value instanceof Set) {
      const items = [...value];
      value.clear();
      items.forEach((v, i) => value.add(this.at({ label: `Set item #${i}` }, v)));
    }
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

  remember<T>(tag: object, out: T): T {
    this.memo.set(tag, out);
    return out;
  }

  private replace(target: object, key: string | number, value: unknown): void {
    if (typeof value !== 'object' || value === null) return;
    const decoded = this.at(key, value);
    if (decoded !== value) defineOwn(target, String(key), decoded);
  }
}
