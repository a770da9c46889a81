// Checked by `tsc -p test/types` (TC39 decorators) and again by
// `tsc -p test/types/tsconfig.legacy.json` (experimentalDecorators): every
// line here must hold in both dialects.
import { expectTypeOf } from 'vitest';
import { Isolated, type AsyncMethod, type IsolatedDecorator } from 'isolated-call';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

export class Service {
  constructor(readonly base: number) {}

  @Isolated()
  async add(n: number): Promise<number> {
    return this.base + n;
  }

  @Isolated({ timeout: 1_000, classes: [Point], maxOldSpaceSize: 256 })
  static async create(base: number): Promise<Service> {
    return new Service(base);
  }

  @Isolated()
  async nothing(): Promise<void> {}

  @Isolated()
  async optional(a: string, b?: number, ...rest: boolean[]): Promise<[string, number | undefined, boolean[]]> {
    return [a, b, rest];
  }

  /** Generic methods keep their type parameters. */
  @Isolated()
  async echo<T>(value: T): Promise<T> {
    return value;
  }

  @Isolated()
  static async pair<A, B extends object>(a: A, b: B): Promise<[A, B]> {
    return [a, b];
  }

  /** Not `async`, but returns a Promise: accepted. */
  @Isolated()
  later(): Promise<string> {
    return Promise.resolve('later');
  }

  // @ts-expect-error a sync method would silently become async
  @Isolated()
  sync(n: number): number {
    return n;
  }

  // @ts-expect-error a sync static method too
  @Isolated()
  static syncStatic(): string {
    return '';
  }

  // @ts-expect-error a method returning a value that is merely maybe a Promise
  @Isolated()
  maybe(): string | Promise<string> {
    return '';
  }

  // @ts-expect-error not a method: a getter
  @Isolated()
  get value(): Promise<number> {
    return Promise.resolve(this.base);
  }
}

// Decorating doesn't change what callers see.
declare const service: Service;
expectTypeOf(service.add).toEqualTypeOf<(n: number) => Promise<number>>();
expectTypeOf(service.add(1)).toEqualTypeOf<Promise<number>>();
expectTypeOf(Service.create(1)).toEqualTypeOf<Promise<Service>>();
expectTypeOf(service.nothing()).toEqualTypeOf<Promise<void>>();
expectTypeOf(service.optional).parameters.toEqualTypeOf<[a: string, b?: number, ...rest: boolean[]]>();
expectTypeOf(service.echo('text')).toEqualTypeOf<Promise<string>>();
expectTypeOf(service.echo({ deep: [1] })).toEqualTypeOf<Promise<{ deep: number[] }>>();
expectTypeOf(Service.pair(1, { b: true })).toEqualTypeOf<Promise<[number, { b: boolean }]>>();
expectTypeOf(service.later()).toEqualTypeOf<Promise<string>>();

// The decorator factory and its options.
expectTypeOf(Isolated).parameters.toEqualTypeOf<[options?: import('isolated-call').IsolatedOptions]>();
expectTypeOf(Isolated()).toEqualTypeOf<IsolatedDecorator>();
Isolated({ execArgv: ['--no-warnings'], env: { A: '1', B: undefined }, module: new URL('file:///x.js'), inspect: 9229 });
Isolated({ onCallEnd: (info) => expectTypeOf(info.pid).toEqualTypeOf<number | undefined>() });
// @ts-expect-error timeout is in milliseconds, a number
Isolated({ timeout: '1s' });
// @ts-expect-error no such option
Isolated({ timeOut: 1_000 });
// @ts-expect-error classes are constructors
Isolated({ classes: [{}] });

// AsyncMethod describes any Promise-returning method.
expectTypeOf<Service['add']>().toMatchTypeOf<AsyncMethod<Service, [number], number>>();
expectTypeOf<Service['sync']>().not.toMatchTypeOf<AsyncMethod>();
