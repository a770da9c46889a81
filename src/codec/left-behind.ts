import { SerializationError } from '../errors/serialization-error.js';
import { formatPath } from './value-path.js';
import type { LeftBehindTag } from './tags.js';

/**
 * The child's side of a field of `this` left in the parent (a left-behind
 * tag): an accessor on the rebuilt instance. Reading it throws, naming the
 * field and the fix; writing it replaces the accessor with the value written,
 * as an assignment to a plain field would (`this.logger = new Logger()` in
 * the method works). A method that never touches the field never notices.
 *
 * Enumerable, so the instance has the same keys as in the parent; anything
 * that reads every field (`{ ...this }`, JSON.stringify, returning `this`)
 * reads this one too and gets the error, which is the truth: it needs it.
 */
export function defineLeftBehind(target: object, key: string, tag: LeftBehindTag): void {
  const field = formatPath('this', [key]);
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get(): never {
      throw new SerializationError(field, leftBehindReason(field, tag));
    },
    set(value: unknown) {
      Object.defineProperty(this, key, { value, enumerable: true, writable: true, configurable: true });
    },
  });
}

/**
 * Why reading the field fails, and the three ways out. Kept with the
 * original reason (what the value is, and how to register it) in front.
 */
export function leftBehindReason(field: string, tag: LeftBehindTag): string {
  const inside = tag.w === field ? '' : ` (${tag.w} can't cross)`;
  return (
    `${field} stayed in the parent${inside}: ${tag.r}. The method read it in the child. Fix: make the value cross (register its ` +
    `class, as the reason says), pass what the method needs as an argument, or make the method not use ${field}`
  );
}
