import { expectTypeOf } from 'vitest';
import { isolate, type IsolatedOptions } from 'isolated-call';

// isolate() returns a function with exactly the signature it was given.
export const transpile = isolate(async function transpile(source: string, options?: { jsx: boolean }): Promise<string> {
  return options?.jsx ? source : source.trim();
});
expectTypeOf(transpile).toEqualTypeOf<(source: string, options?: { jsx: boolean }) => Promise<string>>();

export const identity = isolate(async function identity<T>(value: T): Promise<T> {
  return value;
});
expectTypeOf(identity(1)).toEqualTypeOf<Promise<number>>();
expectTypeOf(identity('one')).toEqualTypeOf<Promise<string>>();

// Arrow functions need an id, which is a run-time check; the types accept them.
export const arrow = isolate(async (n: number) => n * 2, { id: 'arrow' });
expectTypeOf(arrow).toEqualTypeOf<(n: number) => Promise<number>>();

expectTypeOf(isolate).parameter(1).toEqualTypeOf<IsolatedOptions | undefined>();

// @ts-expect-error a sync function would silently become async
isolate(function sync(n: number): number {
  return n;
});
// @ts-expect-error not a function
isolate('transpile');
// @ts-expect-error a bad option
isolate(async function f() {}, { retries: 'twice' });
