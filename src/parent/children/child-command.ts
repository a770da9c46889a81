import { existsSync } from '../../shared/node-fs.js';
import type { ResolvedOptions } from '../../options/table.js';
import { CHILD_CONDITION_FLAG, WATCHDOG_FLAG } from '../../shared/child-flags.js';
import { setprivRefused, typeScriptCacheOff } from '../../shared/environment.js';
import { isSdkBundled } from '../../shared/sdk-location.js';
import { hasEsmPreload } from '../../shared/preload-flags.js';
import { privateFolder, tmpdirIn } from '../../shared/private-folder.js';
import { warnCacheRefused } from '../caches/cache-warning.js';
import { splitLauncher, tsNodeChildEnv } from './script-in-exec-argv.js';
import { typeScriptLoaderFor } from './typescript-loader.js';
import { inheritedExecArgv, inheritedNodeOptions } from './inherited-flags.js';
import { runtime } from '../../shared/runtime.js';

export interface ChildCommand {
  /** What to exec: node itself, or `setpriv` wrapping node. */
  readonly execPath: string;
  /** Everything before the child entry on the command line. */
  readonly execArgv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Arguments after the child entry (child-flags.ts). */
  readonly args: readonly string[];
  /** The largest message the child may send (message-size-guard.ts). */
  readonly maxMessageBytes: number;
  /**
   * The child listens for calls before Node reads its channel: its entry is
   * dist/child.cjs, evaluated in one go, and no `--import` or `--loader` runs
   * first (an ES module loads over several event-loop turns, and a message
   * read meanwhile goes to whoever listens then). Its first call can then
   * be sent before it says `ready` (child-sender.ts).
   */
  readonly listensAtOnce: boolean;
  /** The options that decide the command, as one string: children with equal keys are interchangeable. */
  readonly key: string;
}

let setprivPath: string | null | undefined;

/**
 * `setpriv --pdeathsig KILL` makes the kernel kill the child the moment the
 * parent dies, even while the child is stuck in synchronous code where no
 * 'disconnect' handler can run. It's a tiny exec in front of node (util-linux,
 * present on Linux distributions); where it's missing the child relies on its
 * IPC channel closing.
 */
function findSetpriv(): string | null {
  if (setprivPath === undefined) {
    // Deno's and Bun's fork() write the runtime's own command line after execPath (`deno run …`): setpriv would exec `run`.
    setprivPath =
      process.platform === 'linux' && runtime === 'node' ? (['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p)) ?? null) : null;
    if (setprivRefused()) setprivPath = null;
  }
  return setprivPath;
}

/**
 * Builds the command that starts a child for a method with these options and
 * this module (`bundled`: the SDK is inside the app's bundle).
 */
export function childCommand(options: ResolvedOptions, module: string | undefined, bundled = isSdkBundled()): ChildCommand {
  // Only node's own flags are filtered and added to: a launcher script (ts-node's bin.js) and its options stay last, as they came.
  const { node, launcher } = splitLauncher(process.execArgv);
  const parentFlags = inheritedExecArgv(node, options.maxOldSpaceSize);
  const tsLoader = module !== undefined ? typeScriptLoaderFor(module, [...parentFlags, ...launcher], options.execArgv) : undefined;
  const flags = tsLoader ? parentFlags.filter((_, i) => !tsLoader.drop.has(i)) : parentFlags;
  if (tsLoader) flags.push(...tsLoader.add);
  if (options.inspect !== false) flags.push(`--inspect=127.0.0.1:${options.inspect === true ? 0 : options.inspect}`);
  // The target's module then imports the SDK's child build, which the child has loaded already (child/build-entry.ts).
  if (!bundled) flags.push(CHILD_CONDITION_FLAG);
  flags.push(...options.execArgv, ...launcher);

  const nodeOptions = process.env.NODE_OPTIONS;
  const inherited = nodeOptions === undefined ? undefined : inheritedNodeOptions(nodeOptions, tsLoader?.replacesTsx);
  const parentEnv = inherited === nodeOptions ? process.env : { ...process.env, NODE_OPTIONS: inherited };
  const extraEnv = { ...tsNodeChildEnv([...flags, ...launcher]), ...tsLoader?.env, ...options.env };
  const env = Object.keys(extraEnv).length === 0 ? parentEnv : { ...parentEnv, ...extraEnv };
  if (tsLoader?.add.some(isOwnCompiler)) checkTypeScriptCacheFolder(env);
  const setpriv = findSetpriv();
  const { maxMessageBytes } = options;
  const key = JSON.stringify([flags, extraEnv, maxMessageBytes]);
  const listensAtOnce = !bundled && !hasEsmPreload(flags, env.NODE_OPTIONS);
  // Without setpriv nothing kills a child stuck in synchronous code when the parent dies: it watches itself.
  return setpriv
    ? {
        execPath: setpriv,
        execArgv: ['--pdeathsig', 'KILL', '--', process.execPath, ...flags],
        env,
        args: [],
        maxMessageBytes,
        listensAtOnce,
        key,
      }
    : { execPath: process.execPath, execArgv: flags, env, args: [WATCHDOG_FLAG], maxMessageBytes, listensAtOnce, key };
}

/** The SDK's own TypeScript loader or require hook: its children share the transform cache (child/ts-loader/transform-cache.ts). */
function isOwnCompiler(flag: string): boolean {
  return /[\\/](?:ts-loader|typescript-hook)\.cjs$/.test(flag);
}

/** Warns (once) when the children's TypeScript cache folder is not safely this user's: they would compile every file each time. */
function checkTypeScriptCacheFolder(env: NodeJS.ProcessEnv): void {
  if (typeScriptCacheOff(env) || typeof process.getuid !== 'function') return;
  const path = `${tmpdirIn(env)}/isolated-call-ts-${process.getuid()}`;
  privateFolder(path, (why) => warnCacheRefused('TypeScript cache', path, why));
}
