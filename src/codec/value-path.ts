import { SerializationError } from '../errors/serialization-error.js';

/**
 * Builds readable paths (`args[0].items[3].owner`) for error messages only:
 * the codec keeps a stack of keys and joins it when something fails, so a
 * successful encode never pays for string building.
 */
export type PathKey = string | number | { readonly label: string };

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Paths longer than this many keys show their start and end only. */
const SHOWN_KEYS = 24;

/**
 * How deep values may nest. Node's deserializer overflows its stack near
 * 1,900 levels of objects (3,200 of arrays), and the walkers here recurse
 * once per level, so deeper values are refused, with their path, before
 * anything is sent.
 */
export const MAX_NESTING = 1500;

export function formatPath(root: string, keys: readonly PathKey[]): string {
  if (keys.length > SHOWN_KEYS) {
    const head = keys.slice(0, SHOWN_KEYS / 2);
    const tail = keys.slice(keys.length - SHOWN_KEYS / 4);
    return `${join(root, head)}…(${keys.length - head.length - tail.length} more levels)…${join('', tail)}`;
  }
  return join(root, keys);
}

function join(root: string, keys: readonly PathKey[]): string {
  let out = root;
  for (const key of keys) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string') out += IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    else out += `[${key.label}]`;
  }
  return out;
}

/**
 * Where a walk is: the keys from the root to the value being visited. Pushed
 * and popped by the walkers; read only when something fails.
 */
export class ValuePath {
  readonly keys: PathKey[] = [];

  constructor(readonly root: string) {}

  get depth(): number {
    return this.keys.length;
  }

  /** Returns to `depth` after a failure that was caught (the failed walk never popped its keys). */
  unwindTo(depth: number): void {
    this.keys.length = depth;
  }

  toString(): string {
    return formatPath(this.root, this.keys);
  }

  /** Throws a SerializationError at this path; `cause` is the error that led to it, if any. */
  fail(reason: string, cause?: unknown): never {
    throw new SerializationError(this.toString(), reason, cause === undefined ? undefined : { cause });
  }
}
