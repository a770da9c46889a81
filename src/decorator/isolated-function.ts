import { pathToFileURL } from 'node:url';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { registerClass } from '../codec/register.js';
import { resolveOptions } from '../options/resolve.js';
import type { IsolatedOptions } from '../options/types.js';
import { targetRecords } from '../targets/records.js';
import { findCallerModule } from '../shared/caller-module.js';
import { isAsyncGeneratorFunction } from './is-async-generator-function.js';
import type { Wrap } from './wrap.js';
import type { MethodMeta } from '../targets/method-meta.js';

/**
 * The body of `isolate(fn, options)`: records the function under its id and
 * returns `wrap(meta)` (the parent's build: a child call; a child's build,
 * child/child-api.ts: the function itself, run inline).
 */
export function isolatedFunction(fn: Function, options: IsolatedOptions | undefined, wrap: Wrap): Function {
  if (typeof fn !== 'function') throw new InvalidOptionError('fn', 'isolate() takes the async function to run in a child');
  resolveOptions(options);
  const detectedModule = findCallerModule();
  const id = options?.id ?? (fn.name || (detectedModule && anonymousId(detectedModule)));
  if (!id)
    throw new InvalidOptionError(
      'id',
      'isolate() needs a named function or an id option here: the module that called it could not be told',
    );
  for (const cls of options?.classes ?? []) registerClass(cls);
  const stream = isAsyncGeneratorFunction(fn);
  const meta: MethodMeta = { kind: 'function', name: id, original: fn, options, detectedModule, owner: undefined, stream };
  const wrapped = wrap(meta);
  if (detectedModule) targetRecords().functions.set(`${detectedModule}#${id}`, meta);
  return wrapped;
}

/** Per module: the call sites (line:column in this process) of its anonymous isolate() calls, in first-seen order. */
const anonymousSites = new Map<string, Map<string, number>>();

/**
 * `anonymous#N`: the Nth distinct place in this module that passed an
 * anonymous function to isolate(), the same in parent and child, which
 * evaluate the module top-down alike. Counting places rather than calls
 * keeps the number when the module is evaluated again in this process
 * (`vi.resetModules()`, a watch re-run): the same place gets the same N.
 */
function anonymousId(module: string): string {
  let sites = anonymousSites.get(module);
  if (!sites) anonymousSites.set(module, (sites = new Map()));
  const site = callSiteIn(module) ?? `call ${sites.size + 1}`;
  let n = sites.get(site);
  if (n === undefined) sites.set(site, (n = sites.size + 1));
  return `anonymous#${n}`;
}

/** `line:column` of the innermost frame of `module` on the stack. */
function callSiteIn(module: string): string | undefined {
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 40;
    Error.prepareStackTrace = (_, sites) => sites;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, callSiteIn);
    for (const site of holder.stack ?? []) {
      const file = site.getFileName();
      if (file && (file === module || pathToFileURL(file).href === module)) return `${site.getLineNumber()}:${site.getColumnNumber()}`;
    }
  } catch {
    // no structured stack: fall back to counting calls
  } finally {
    Error.prepareStackTrace = savedPrepare;
    Error.stackTraceLimit = savedLimit;
  }
  return undefined;
}
