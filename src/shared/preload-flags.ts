/**
 * Node flags that run a module before the entry. The ES module ones also make
 * Node start the entry through its ESM loader, over several event-loop turns
 * (parent/children/child-command.ts: the first call then waits for `ready`); any of
 * them may register module hooks, which Node 20's require() of an ES module
 * doesn't consult (child/load-target.ts).
 */
const ESM_PRELOAD = ['--import', '--loader', '--experimental-loader'];
const ANY_PRELOAD = [...ESM_PRELOAD, '--require', '-r'];

/** Whether `flags` (a command line's, and NODE_OPTIONS as one string) run an ES module before the entry. */
export function hasEsmPreload(flags: readonly string[], nodeOptions = ''): boolean {
  return names(flags, nodeOptions).some((name) => ESM_PRELOAD.includes(name));
}

/** Whether `flags` (and NODE_OPTIONS) run any module before the entry. */
export function hasPreload(flags: readonly string[], nodeOptions = ''): boolean {
  return names(flags, nodeOptions).some((name) => ANY_PRELOAD.includes(name));
}

function names(flags: readonly string[], nodeOptions: string): string[] {
  return [...flags, ...nodeOptions.split(/\s+/)].map((flag) => flag.split('=')[0] ?? '');
}
