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
 * Why reading the field fails, and the ways out. The original reason (what
 * the value is, and how to make it cross) comes first: it is the most
 * specific advice.
 */
export function leftBehindReason(field: string, tag: LeftBehindTag): string {
  const inside = tag.w === field ? '' : ` (${tag.w} can't cross)`;
  return (
    `it stayed in the parent${inside}, and the method read it in the child: ${tag.r}. Either make the value cross as just ` +
    `said, pass what the method needs as an argument, or make the method not use ${field}`
  );
}
