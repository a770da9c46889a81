import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { Class } from '../contracts/call-info.js';
import type { Runner } from '../contracts/runner.js';
import type { SuperJSONLike } from '../contracts/superjson.js';
import { MAX_TIMER_MS } from '../shared/timers.js';

/**
 * Checks one option's value and returns it normalised (copied, frozen,
 * converted). Throws `InvalidOptionError` naming the option, what was
 * expected and what came. Never called with `undefined`: an option set to
 * `undefined` counts as not set.
 */
export type Validator<T> = (value: unknown, name: string) => T;

/** A number >= `min`, not NaN; `Infinity` passes. */
export function number(min: number): Validator<number> {
  return (value, name) => {
    if (typeof value !== 'number' || Number.isNaN(value) || value < min) {
      throw new InvalidOptionError(name, `expected a number >= ${min}, got ${describe(value)}`);
    }
    return value;
  };
}

/**
 * Milliseconds for a timer: from 0 to MAX_TIMER_MS, or `Infinity` for no
 * limit (returned as `infinityAs` when given: `timeout`'s "no limit" is 0).
 * A finite value a timer can't hold is refused: Node would fire it at once.
 */
export function milliseconds(infinityAs?: number): Validator<number> {
  const base = number(0);
  return (value, name) => {
    const ms = base(value, name);
    if (ms === Infinity) return infinityAs ?? ms;
    if (ms > MAX_TIMER_MS) {
      throw new InvalidOptionError(
        name,
        `expected at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest a timer holds), got ${ms}; use Infinity for no limit`,
      );
    }
    return ms;
  };
}

/** A whole number >= `min`; `Infinity` passes unless `finite`. */
export function integer(min: number, finite = false): Validator<number> {
  const base = number(min);
  return (value, name) => {
    const n = base(value, name);
    if (n === Infinity ? finite : !Number.isInteger(n)) throw new InvalidOptionError(name, `expected a whole number, got ${n}`);
    return n;
  };
}

/** Megabytes of memory: a whole number >= `min`, or `Infinity` for no limit. */
export function megabytes(min: number): Validator<number> {
  return (value, name) => {
    if (value === Infinity) return value;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new InvalidOptionError(
        name,
        `expected a whole number of MB, at least ${min} (or Infinity for no limit), got ${describe(value)}`,
      );
    }
    return value;
  };
}

export const boolean: Validator<boolean> = (value, name) => {
  if (typeof value !== 'boolean') throw new InvalidOptionError(name, `expected true or false, got ${describe(value)}`);
  return value;
};

export const nonEmptyString: Validator<string> = (value, name) => {
  if (typeof value !== 'string' || value === '') throw new InvalidOptionError(name, `expected a non-empty string, got ${describe(value)}`);
  return value;
};

export function func<T extends (...args: never[]) => unknown>(): Validator<T> {
  return (value, name) => {
    if (typeof value !== 'function') throw new InvalidOptionError(name, `expected a function, got ${describe(value)}`);
    return value as T;
  };
}

/** A runner object: `run` a function, `inline` a boolean, `name` a string (contracts/runner.ts). */
export const runner: Validator<Runner> = (value, name) => {
  const r = value as Partial<Runner> | null;
  if (typeof r !== 'object' || r === null || typeof r.run !== 'function' || typeof r.inline !== 'boolean' || typeof r.name !== 'string') {
    throw new InvalidOptionError(
      name,
      `expected a runner such as bullmqRunner({ connection, queue }) from isolated-call/bullmq, got ${describe(value)}`,
    );
  }
  return r as Runner;
};

export const stringArray: Validator<readonly string[]> = (value, name) => {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new InvalidOptionError(name, `expected an array of strings, got ${describe(value)}`);
  }
  return Object.freeze([...(value as string[])]);
};

export const env: Validator<Readonly<Record<string, string | undefined>>> = (value, name) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(name, `expected an object, got ${describe(value)}`);
  }
  const copy: Record<string, string | undefined> = Object.create(null);
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined && typeof v !== 'string') throw new InvalidOptionError(name, `${name}.${k} must be a string, got ${describe(v)}`);
    copy[k] = v;
  }
  return Object.freeze(copy);
};

export const classes: Validator<readonly Class[]> = (value, name) => {
  if (!Array.isArray(value)) throw new InvalidOptionError(name, `expected an array of classes, got ${describe(value)}`);
  value.forEach((c, i) => {
    if (typeof c !== 'function') throw new InvalidOptionError(name, `${name}[${i}] is ${describe(c)}, not a class`);
  });
  return Object.freeze([...(value as Class[])]);
};

export const inspect: Validator<boolean | number> = (value, name) => {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 65536) return value;
  throw new InvalidOptionError(name, `expected true, false or a port number, got ${describe(value)}`);
};

/** A `file:` URL or an absolute path (POSIX or Windows), as a string. */
export const moduleLocation: Validator<string> = (value, name) => {
  const text = value instanceof URL ? value.href : value;
  if (typeof text !== 'string' || text === '') throw new InvalidOptionError(name, `expected a path or file URL, got ${describe(value)}`);
  if (!text.startsWith('file:') && !text.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(text)) {
    throw new InvalidOptionError(name, `expected an absolute path or a file: URL, got "${text}"`);
  }
  return text;
};

/**
 * A superjson instance (duck-typed: its three registries), or the SuperJSON
 * class, which stands for its default instance; `null` removes the setting.
 * Returned as the instance itself.
 */
export const superjson: Validator<SuperJSONLike | null> = (value, name) => {
  if (value === null) return null;
  const instance = typeof value === 'function' ? (value as { defaultInstance?: unknown }).defaultInstance : value;
  if (!isSuperJSONLike(instance)) {
    throw new InvalidOptionError(
      name,
      `expected a superjson instance (new SuperJSON() from superjson 2, or the SuperJSON class for its default instance), got ${describe(value)}`,
    );
  }
  return instance;
};

function isSuperJSONLike(value: unknown): value is SuperJSONLike {
  const v = value as Record<string, Record<string, unknown> | undefined> | null | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.classRegistry?.getIdentifier === 'function' &&
    typeof v.classRegistry.getValue === 'function' &&
    typeof v.classRegistry.getAllowedProps === 'function' &&
    typeof v.symbolRegistry?.getIdentifier === 'function' &&
    typeof v.symbolRegistry.getValue === 'function' &&
    typeof v.customTransformerRegistry?.findApplicable === 'function' &&
    typeof v.customTransformerRegistry.findByName === 'function'
  );
}

/** A short, safe description of a bad value for an error message. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a value of type ${typeof value}`;
}
