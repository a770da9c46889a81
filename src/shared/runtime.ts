/**
 * Which JavaScript runtime runs this process. Deno and Bun run Node's APIs,
 * but not all of them the same way: their `fork()` builds its own command
 * line (so nothing may be put in front of it, as setpriv is on Node), and
 * their `node:inspector` can't list the ES modules loaded.
 */
export type Runtime = 'node' | 'deno' | 'bun';

export const runtime: Runtime =
  typeof (globalThis as { Deno?: unknown }).Deno === 'object'
    ? 'deno'
    : typeof (process.versions as { bun?: string }).bun === 'string'
      ? 'bun'
      : 'node';
