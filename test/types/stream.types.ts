// Async generator methods, checked in both dialects like decorator.types.ts
// (`tsc -p test/types` and `tsc -p test/types/tsconfig.legacy.json`).
import { expectTypeOf } from 'vitest';
import { Isolated, isolate, type StreamMethod } from 'isolated-call';

interface Row {
  readonly id: number;
}

export class Rows {
  @Isolated()
  async *rows(file: string): AsyncGenerator<Row> {
    yield { id: file.length };
  }

  /** With a return value and a bound of its own. */
  @Isolated({ streamAhead: 16, streamAheadBytes: 1024 * 1024 })
  async *counted(n: number): AsyncGenerator<number, string> {
    yield n;
    return 'done';
  }

  /** Declared as an AsyncIterable. */
  @Isolated()
  async *iterable(): AsyncIterable<string> {
    yield 'a';
  }

  @Isolated()
  static async *all<T>(items: T[]): AsyncGenerator<T> {
    yield* items;
  }

  // Promise-returning methods still fit beside them.
  @Isolated()
  async count(): Promise<number> {
    return 1;
  }

  // @ts-expect-error a sync generator would silently become async
  @Isolated()
  *syncRows(): Generator<Row> {
    yield { id: 1 };
  }
}

declare const rows: Rows;
expectTypeOf(rows.rows('f')).toEqualTypeOf<AsyncGenerator<Row>>();
expectTypeOf(rows.counted(1)).toEqualTypeOf<AsyncGenerator<number, string>>();
expectTypeOf(rows.iterable()).toEqualTypeOf<AsyncIterable<string>>();
expectTypeOf(Rows.all([1, 2])).toEqualTypeOf<AsyncGenerator<number>>();
expectTypeOf<Rows['rows']>().toMatchTypeOf<StreamMethod<Rows, [string], Row>>();

// isolate() of an async generator function keeps its signature.
export const countTo = isolate(async function* countTo(n: number): AsyncGenerator<number, number> {
  yield n;
  return n;
});
expectTypeOf(countTo).toEqualTypeOf<(n: number) => AsyncGenerator<number, number>>();

// @ts-expect-error a sync generator function
isolate(function* sync(): Generator<number> {
  yield 1;
});
// @ts-expect-error the stream bound is a number
Isolated({ streamAhead: 'many' });
