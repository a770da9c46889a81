/**
 * Every ISOLATED_CALL_* environment variable the SDK reads or sets, named and
 * read here and nowhere else. docs/api.md ("Environment variables") is the
 * users' table of the same list: change the two together.
 *
 * The switches are read at each use, not once: a test or an app may set one
 * after the SDK loaded. Those read from `env` may be the parent's own or the
 * environment a child is given (the `env` option), where the child reads them.
 */

type Environment = Readonly<Record<string, string | undefined>>;

/** `ISOLATED_CALL_CODE_CACHE=off`: no V8 code cache of the child build, no compile cache of the modules a child loads. */
export function codeCacheOff(env: Environment): boolean {
  return env.ISOLATED_CALL_CODE_CACHE === 'off';
}

/** `ISOLATED_CALL_TS_CACHE=off`: the child's TypeScript loader keeps no cache of what it compiled. */
export function typeScriptCacheOff(env: Environment = process.env): boolean {
  return env.ISOLATED_CALL_TS_CACHE === 'off';
}

/** `ISOLATED_CALL_TS_LOADER=tsx`: a child of a tsx parent gets tsx's flags, not the SDK's esbuild loader. */
export function tsxLoaderWanted(): boolean {
  return process.env.ISOLATED_CALL_TS_LOADER === 'tsx';
}

/** `ISOLATED_CALL_NO_SETPRIV` (any value): no `setpriv --pdeathsig` in front of a child. */
export function setprivRefused(): boolean {
  return Boolean(process.env.ISOLATED_CALL_NO_SETPRIV);
}

// Set by the SDK for its children, not by users.

/** Where the child's TypeScript loader finds esbuild (parent/children/typescript-loader.ts sets it). */
export const ESBUILD_ENV = 'ISOLATED_CALL_ESBUILD';

/** The esbuild the parent found for this child's TypeScript loader; empty when none was given. */
export function esbuildPathGiven(): string {
  return process.env[ESBUILD_ENV] ?? '';
}

/**
 * Set in the environment of a child that runs the app's own bundle (the SDK
 * bundled into it, so no dist/child.cjs exists): the SDK code inside the
 * bundle starts the child loop when it is evaluated (child/bundled-child.ts),
 * and deletes the variable so the child's own subprocesses don't see it.
 */
export const BUNDLED_CHILD_ENV = 'ISOLATED_CALL_BUNDLED_CHILD';

/** Whether this process was started as the child of a bundled app. */
export function bundledChildFlagSet(): boolean {
  return process.env[BUNDLED_CHILD_ENV] === '1';
}

/** Once the child loop has it: the child's own subprocesses must not take themselves for children. */
export function clearBundledChildFlag(): void {
  delete process.env[BUNDLED_CHILD_ENV];
}

/** The variable naming the children a process descends from: their tokens, one after another, each ending with `;` (descendants.ts). */
export const DESCENDANT_ENV = 'ISOLATED_CALL_CHILD_OF';

/** The tokens of the children this process descends from, as {@link DESCENDANT_ENV} holds them. */
export function descendantTokens(env: Environment = process.env): string | undefined {
  return env[DESCENDANT_ENV];
}
