import { fileUrlOfFrame } from '../shared/module-url.js';

/** The folder of this build of the SDK; frames inside it are ours, not the user's. */
const ownDir = new URL('.', import.meta.url).href;

// Decorator helpers that can sit between the user's class body and us.
const HELPERS = /[\\/]node_modules[\\/](tslib|@swc[\\/]helpers|@babel[\\/]runtime|reflect-metadata)[\\/]/;

/**
 * The file URL of the first module on the stack that isn't the SDK, Node
 * itself or a decorator helper: the module whose class body applied the
 * decorator. Works for CommonJS, ESM, tsx and vitest, which all report real
 * file names (only the line numbers differ, and they aren't used).
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
  for (const site of sites) {
    const file = site.getFileName();
    if (!file || file.startsWith('node:') || HELPERS.test(file)) continue;
    const url = fileUrlOfFrame(file);
    if (url === undefined || url.startsWith(ownDir)) continue;
    return url;
  }
  return undefined;
}
