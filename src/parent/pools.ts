import type { MethodPool } from './method-pool.js';

/** Every method pool in use, for `stats()` and `shutdown()`. */
export const pools = new Set<MethodPool>();
