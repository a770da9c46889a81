import { existsSync } from './node-fs.js';
import { fileURLToPath } from 'node:url';
import { fileUrlOfFrame } from './module-url.js';

/**
 * Where this copy of the SDK's code runs from, and whether that is the SDK's
 * own build or an application's bundle that holds it.
 *
 * `import.meta.url` is the SDK's file in its own ESM build. In a CommonJS
 * file `import.meta` is an empty object: in the SDK's CommonJS build, and in
 * an app's CommonJS bundle that holds the ESM build. The file is then read
 * from the stack, where this module's own frame names it.
 *
 * No file on the stack (code evaluated from a string) resolves against the
 * working folder: nothing will be found there.
 *
 * `import.meta` is read through a variable on purpose: tsup would replace
 * `import.meta.url` in the CommonJS build with a shim that reads
 * `__filename` when the file loads, and an app's ESM bundle that holds that
 * build (a `require('isolated-call')` in an ESM app) has no `__filename`.
 */
const meta: { url?: string } = import.meta;
/**
 * The frame wins over `import.meta.url` where both exist: webpack replaces
 * `import.meta.url` with the SDK's path on the build machine, which an app
 * bundled with webpack and deployed without node_modules doesn't have.
 */
export const ownUrl: string = urlOfThisFrame() ?? meta.url ?? new URL(`${process.cwd()}/`, 'file:').href;

function urlOfThisFrame(): string | undefined {
  const savedPrepare = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_, sites) => sites;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, urlOfThisFrame);
    const file = holder.stack?.[0]?.getFileName();
    return file ? fileUrlOfFrame(file) : undefined;
  } finally {
    Error.prepareStackTrace = savedPrepare;
  }
}

/** The file of this SDK code: the SDK's dist/index.* or child.cjs, or the app's bundle that holds it. */
export const ownFile: string = fileURLToPath(ownUrl);

let bundled: boolean | undefined;

/**
 * True when this SDK code was bundled into an application: its build's
 * dist/child.cjs is not beside it. Checked once per process (one stat),
 * when first needed.
 */
export function isSdkBundled(): boolean {
  bundled ??= !existsSync(fileURLToPath(new URL('./child.cjs', ownUrl)));
  return bundled;
}

/**
 * The folder whose stack frames are the SDK's plumbing, as a path and a URL,
 * or undefined when the SDK is bundled into the app: its folder (and file)
 * then holds the user's code too, so no frame can be told apart by place.
 */
export function ownFrameFolder(): { path: string; url: string } | undefined {
  if (isSdkBundled()) return undefined;
  const url = new URL('.', ownUrl);
  return { path: fileURLToPath(url), url: url.href };
}
