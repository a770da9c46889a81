/** Writing properties onto objects the codec builds, without running anyone's setters. */

/** Assigns without triggering setters, so a `__proto__` key stays plain data. */
export function defineOwn(target: object, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string, unknown>)[key] = value;
}

/**
 * Defines an enumerable data property. Used on rebuilt instances: a setter on
 * the prototype (an `accessor` field) must not run against a half-built object.
 */
export function defineData(target: object, key: string, value: unknown, enumerable = true): void {
  Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });
}

/** Defines a non-enumerable data property, as `message` and `stack` are on errors. */
export function defineHidden(target: object, key: string, value: unknown): void {
  defineData(target, key, value, false);
}
