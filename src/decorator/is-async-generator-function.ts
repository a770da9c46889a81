/**
 * The constructor of every `async function*` (and `async *method()`); not a
 * global, so it is read off one. Compared across realms by name too: a
 * function made in a vm context has its own.
 */
const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}).constructor as Function;

/**
 * Whether `fn` is an async generator function, told when the decorator runs:
 * its calls become streams (the child drives the generator, the parent gets
 * an AsyncGenerator). A plain function that returns an async iterable is not
 * one: its call returns the iterable, which can't cross.
 */
export function isAsyncGeneratorFunction(fn: unknown): boolean {
  if (typeof fn !== 'function') return false;
  const ctor = Object.getPrototypeOf(fn)?.constructor as Function | undefined;
  return ctor === AsyncGeneratorFunction || ctor?.name === 'AsyncGeneratorFunction';
}
