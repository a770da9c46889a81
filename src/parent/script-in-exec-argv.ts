/**
 * ts-node's CLI (`npx ts-node main.ts`) appends its own `bin.js`, then its
 * options, to `process.execArgv`, so that a forked child starts through it
 * with the same settings. For node that is the script to run: every flag
 * after it is the script's, not node's. The child command keeps that launcher
 * and its options last, and puts the flags it adds itself before it.
 */
const TS_NODE_BIN = /[\\/]ts-node[\\/]dist[\\/]bin(?:-[\w-]+)?\.js$/;

/** Splits inherited flags into node's own and a launcher script with its options (empty when there is none). */
export function splitLauncher(flags: readonly string[]): { node: string[]; launcher: string[] } {
  const at = flags.findIndex((flag) => TS_NODE_BIN.test(flag));
  return at < 0 ? { node: [...flags], launcher: [] } : { node: flags.slice(0, at), launcher: flags.slice(at) };
}
