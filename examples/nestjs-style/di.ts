// A ten-line stand-in for NestJS's container: @Injectable() makes TypeScript
// emit the constructor's parameter types, and resolve() builds the graph.
import 'reflect-metadata';

type Constructor<T = unknown> = new (...args: any[]) => T;

export function Injectable(): ClassDecorator {
  return () => {};
}

export function resolve<T>(cls: Constructor<T>): T {
  const deps = (Reflect.getMetadata('design:paramtypes', cls) ?? []) as Constructor[];
  return new cls(...deps.map((dep) => resolve(dep)));
}

/** Like NestJS's Logger: an object with behaviour, which isolated-call doesn't know how to copy. */
export class Logger {
  constructor(private readonly context: string) {}
  log(message: string): void {
    console.log(`[${this.context}] ${message}`);
  }
}
