import { fileUrlOfFrame } from './module-url.js';
import { isSdkBundled, ownUrl } from './sdk-location.js';

// Decorator helpers that can sit between the user's class body and us.
const HELPERS = /[\\/]node_modules[\\/](tslib|@swc[\\/]helpers|@babel[\\/]runtime|reflect-metadata)[\\/]/;

/**
 * The file URL of the first module on the stack that isn't the SDK, Node
 * itself or a decorator helper: the module whose class body applied the
 * decorator. Works for CommonJS, ESM, tsx and vitest, which all report real
 * file names (only the line numbers differ, and they aren't used).
 *
 * The SDK's frames are those in its build's folder; when the SDK is bundled
 * into the app, those in the file that holds it. If every frame is in that
 * file, the decorator ran in the app's bundle itself, and that is the module.
 */
export function findCallerModule(): string | undefined {
  const found = callerFrame(findCallerModule);
  return found?.url ?? found?.bundledSdk;
}

/**
 * The name a stack frame gives the code that called the SDK, as the frame
 * spells it, or undefined. Unlike findCallerModule(), a frame that names no
 * file counts: webpack's development builds evaluate each module from a
 * string named `webpack-internal:///…`.
 */
export function callerFrameName(): string | undefined {
  const found = callerFrame(callerFrameName, true);
  return found?.name ?? found?.bundledSdk;
}

function callerFrame(above: Function, evaluatedToo = false): { name?: string; url?: string; bundledSdk?: string } | undefined {
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  let sites: NodeJS.CallSite[] = [];
  try {
    Error.stackTraceLimit = 40;
    Error.prepareStackTrace = (_, callSites) => callSites;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, above);
    sites = holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = savedPrepare;
    Error.stackTraceLimit = savedLimit;
  }
  const bundled = isSdkBundled();
  const ownDir = new URL('.', ownUrl).href;
  let inOwnFile = false;
  for (const site of sites) {
    // Code evaluated from a string names itself by its sourceURL only (webpack's `webpack-internal:///…`).
    const file = site.getFileName() || (evaluatedToo ? site.getScriptNameOrSourceURL() : undefined);
    if (!file || file.startsWith('node:') || HELPERS.test(file)) continue;
    const url = fileUrlOfFrame(file);
    if (url === undefined) {
      if (evaluatedToo && /^[a-z][\w+.-]*:/i.test(file)) return { name: file };
      continue;
    }
    if (bundled ? url === ownUrl : url.startsWith(ownDir)) {
      inOwnFile = true;
      continue;
    }
    return { name: file, url };
  }
  return bundled && inOwnFile ? { bundledSdk: ownUrl } : undefined;
}
