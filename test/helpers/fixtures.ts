import { fileURLToPath } from 'node:url';

export type Flavor = 'tc39' | 'legacy' | 'cjs';
export const flavors: Flavor[] = ['tc39', 'legacy', 'cjs'];

/** Absolute path of a compiled fixture module. */
export function fixturePath(flavor: Flavor, name: string): string {
  return fileURLToPath(new URL(`../fixtures/build/${flavor}/${name}.js`, import.meta.url));
}

/** Imports a compiled fixture module (the parent's copy; children import the same file). */
export async function loadFixture<T = Record<string, any>>(flavor: Flavor, name: string): Promise<T> {
  return (await import(fixturePath(flavor, name))) as T;
}

/** Absolute path of a file under test/fixtures, such as `scripts/runtime-info.mjs`. */
export function fixtureFile(relative: string): string {
  return fileURLToPath(new URL(`../fixtures/${relative}`, import.meta.url));
}
