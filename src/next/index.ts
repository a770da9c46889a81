/**
 * isolated-call/next: the Next.js integration. Never imported by the main
 * entry; `next` is an optional peer, and this module doesn't load it.
 */
export { withIsolatedCall, type NextConfigInput } from './with-isolated-call.js';
export { loadIsolatedModule, type IsolatedModuleFiles } from './load-isolated-module.js';
