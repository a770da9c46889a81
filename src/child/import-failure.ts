import { hasPreload } from '../shared/preload-flags.js';

/** Node's codes for TypeScript its type stripping refuses. */
const STRIPPING_REFUSED = new Set([
  'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX',
  'ERR_INVALID_TYPESCRIPT_SYNTAX',
  'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING',
]);

/** The error a failed import of the target's module becomes: the cause, or what to install when the module is TypeScript the child can't run. */
export function explainImportFailure(module: string, error: unknown): Error {
  const code = (error as { code?: unknown })?.code;
  // Node 22.18 and later strip types where the child has no loader, and refuse
  // what stripping can't run: parameter properties and enums by a code,
  // decorators by V8's SyntaxError.
  const stripped =
    STRIPPING_REFUSED.has(code as string) || (error instanceof SyntaxError && !hasPreload(process.execArgv, process.env.NODE_OPTIONS));
  if ((code === 'ERR_UNKNOWN_FILE_EXTENSION' || stripped) && /\.[cm]?tsx?$/.test(module)) {
    return new Error(
      `${module} is TypeScript and the child has no TypeScript loader. Install tsx (npm i -D tsx; isolated-call then uses it for ` +
        `the child), ` +
        'or give the child another loader through the execArgv option, or point the module option at compiled JavaScript.' +
        (code === 'ERR_UNKNOWN_FILE_EXTENSION' ? '' : ` (Node's own type stripping can't run it: ${(error as Error).message})`),
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
