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

interface TsNodeService {
  readonly configFilePath?: string;
}

/**
 * What a child started through ts-node needs to compile the user's modules
 * as the parent did. ts-node's CLI looks for tsconfig.json from the script
 * it runs, which in the child is the SDK's entry inside node_modules, so the
 * child is told the parent's (`TS_NODE_PROJECT`). And it only transpiles
 * (`TS_NODE_TRANSPILE_ONLY`): the parent type-checked the same module when it
 * loaded it, and checking again costs every fresh child seconds. Variables
 * the user set, and ts-node's own command-line options, still win.
 */
export function tsNodeChildEnv(flags: readonly string[], env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const service = (process as unknown as Record<symbol, TsNodeService | undefined>)[Symbol.for('ts-node.register.instance')];
  // ts-node/esm runs in the loaders' thread, where this thread can't see it; it finds tsconfig.json from the cwd, which the child shares.
  if (!service && !flags.some((flag) => /(^|[\\/"'])ts-node[\\/]esm\b/.test(flag))) return {};
  const extra: Record<string, string> = {};
  if (service?.configFilePath && env.TS_NODE_PROJECT === undefined && env.TS_NODE_SKIP_PROJECT === undefined)
    extra.TS_NODE_PROJECT = service.configFilePath;
  if (env.TS_NODE_TRANSPILE_ONLY === undefined && env.TS_NODE_TYPE_CHECK === undefined) extra.TS_NODE_TRANSPILE_ONLY = 'true';
  return extra;
}
