/**
 * The one warning for a cache folder that isn't safely this user's: someone
 * else (another local user who made `/tmp/isolated-call-cache-<uid>` first)
 * or a mistake turned a cache off, and children start slower for it.
 */
const warned = new Set<string>();

/** Warns once per folder per process: `ISOLATED_CALL_CACHE_REFUSED`. */
export function warnCacheRefused(kind: 'code cache' | 'compile cache' | 'TypeScript cache', folder: string, why: string): void {
  if (warned.has(folder)) return;
  warned.add(folder);
  process.emitWarning(
    `isolated-call: the ${kind} folder ${folder} is not used: ${why}. Children run without that cache (a slower start) until ` +
      'the folder is removed, or is a folder (not a link) of this user with mode 0700.',
    { code: 'ISOLATED_CALL_CACHE_REFUSED' },
  );
}
