import { createRequire } from './create-require.js';
import { ownUrl } from './sdk-location.js';

const requireBuiltin = createRequire(ownUrl);

/**
 * Loads a Node built-in on first use instead of at import time. Modules like
 * node:inspector, node:v8 and node:child_process are compiled on first load;
 * importing them eagerly would add milliseconds to every child's start-up
 * (the child imports this package through the user's module) and to the
 * parent's, for features most calls never touch.
 */
export function builtin<T>(
  name: 'node:inspector' | 'node:v8' | 'node:vm' | 'node:child_process' | 'node:crypto' | 'node:worker_threads',
): T {
  return requireBuiltin(name) as T;
}
