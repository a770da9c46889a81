import { fileUrlOfFrame } from '../shared/module-url.js';
import { isSdkBundled, ownUrl } from '../shared/own-url.js';

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
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  let sites: NodeJS.CallSite[] = [];
  try {
    Error.stackTraceLimit = 40;
    Error.prepareStackTrace = (_, callSites) => callSites;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, findCallerModule);
    sites = holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = savedPrepare;
    Error.stackTraceLimit = savedLimit;
  }
  const bundled = isSdkBundled();
  const ownDir = new URL('.', ownUrl).href;
  let inOwnFile = false;
  for (const site of sites) {
    const file = site.getFileName();
    if (!file || file.startsWith('node:') || HELPERS.test(file)) continue;
    const url = fileUrlOfFrame(file);
    if (url === undefined) continue;
    if (bundled ? url === ownUrl : url.startsWith(ownDir)) {
      inOwnFile = true;
      continue;
    }
    return url;
  }
  return bundled && inOwnFile ? ownUrl : undefined;
}
