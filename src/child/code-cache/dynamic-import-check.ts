/**
 * Whether a CommonJS module may start a dynamic `import()` from its own
 * code. On Node 20 (V8 11), a script compiled from a V8 code cache loses
 * what Node attached to it for `import()`: such a call rejects with
 * ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING. So the module cache
 * (module-cache.ts) keeps only modules that can't make one, and leaves the
 * others to Node's own compiler.
 *
 * The question is asked of V8's parser, not of the text: every `import`
 * before `(` (a dynamic import, unless it sits in a string or a comment),
 * every `eval` and every `Function(` (code made from a string runs with its
 * caller's `import()`) is replaced by `import.meta`, which a script may not
 * contain. If the result still compiles, each of them was in a string, a
 * comment or a property name. Anything that doesn't compile counts as "may".
 * Code built from a string another way (a function's `.constructor`,
 * `Reflect.construct(Function, …)`) is not seen: docs/platforms.md says so.
 */
import { Script } from 'node:vm';

/**
 * `import` before `(` (or a comment); `eval`, except as a key (`eval:`);
 * `.eval(` of an object (`globalThis.eval(…)`); `Function` called, directly or
 * through `.call`, `.apply` or `.bind`, as a name or a property. The dot goes
 * with the match, so the replaced text can't read as a property access.
 */
const SUSPECTS =
  /(?<![.\w$])import(?=\s*[(/])|(?<![.\w$])eval\b(?!\s*:)|\.\s*eval(?=\s*[(.])|(?:(?<![.\w$])|\.\s*)Function(?=\s*(?:\(|\.\s*(?:call|apply|bind)\b))/g;

/** The wrapper Node puts around a CommonJS module, so that `return` at its top level parses. */
const WRAPPER = ['(function (exports, require, module, __filename, __dirname) { ', '\n})'] as const;

/** False only when V8 says none of the module's own code can start an `import()`. */
export function mayImportDynamically(source: string): boolean {
  SUSPECTS.lastIndex = 0;
  if (!SUSPECTS.test(source)) return false;
  try {
    new Script(WRAPPER[0] + source.replace(SUSPECTS, ' import.meta') + WRAPPER[1]);
    return false;
  } catch {
    return true;
  }
}
