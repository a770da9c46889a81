import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { BUNDLED_CHILD_ENV, DESCENDANT_ENV } from '../../shared/environment.js';
import { isSdkBundled, ownFile, ownUrl } from '../../shared/sdk-location.js';
import { debuglog } from 'node:util';
import { ChildExitedError, ChildOutOfMemoryError, type ChildExit } from '../../errors/child-exited-error.js';
import { PRELOAD_FLAG } from '../../protocol/messages.js';
import { builtin } from '../../shared/builtin.js';
import type { ChildCommand } from './child-command.js';
import { type DescendantMarker, endDescendants, markerValue } from '../../shared/descendants.js';
import { discardFilesOf } from '../../codec/blobs.js';

const debug = debuglog('isolated-call');

/**
 * What a child runs: the SDK's child build (dist/child.cjs), which is also
 * what the target's module gets when it imports the SDK there (the export
 * condition child-command.ts adds; child/build-entry.ts). When the SDK is bundled
 * into the app there is no dist/: the child runs the file that holds this
 * very code (the app's bundle), with a variable that makes the SDK start as
 * a child the moment it is evaluated (child/bundled-child.ts).
 */
function childScript(): { path: string; env: Record<string, string> | undefined } {
  if (isSdkBundled()) return { path: ownFile, env: { [BUNDLED_CHILD_ENV]: '1' } };
  return { path: fileURLToPath(new URL('./child.cjs', ownUrl)), env: undefined };
}

const STDERR_TAIL = 8192;
const OOM_PATTERN = /JavaScript heap out of memory|Reached heap limit|Ineffective mark-compacts near heap limit/;
/** How long to wait for stderr to drain after 'exit' before giving up on 'close'. */
const CLOSE_WAIT_MS = 200;

/**
 * Forks the child entry with the command's flags. `preload`: a standby child,
 * which loads this package's builds while it waits. `marker`: what the child
 * and everything it starts carry in their environment (descendants.ts).
 * `args`: more arguments after the entry, for this child only (its code cache).
 */
export function forkChild(command: ChildCommand, preload: boolean, marker: DescendantMarker, args: readonly string[] = []): ChildProcess {
  const { fork } = builtin<typeof import('node:child_process')>('node:child_process');
  const script = childScript();
  const child = fork(script.path, [...command.args, ...args, ...(preload ? [PRELOAD_FLAG] : [])], {
    execPath: command.execPath,
    execArgv: [...command.execArgv],
    env: { ...command.env, ...script.env, [DESCENDANT_ENV]: markerValue(marker, command.env) },
    // Payloads JSON can't carry exactly are packed by the protocol (protocol/wire-value.ts).
    serialization: 'json',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    // The child leads its own process group, so a kill reaches whatever it
    // started too (a grandchild must not outlive the call).
    detached: true,
  });
  debug('started child pid %d%s: %s %s', child.pid, preload ? ' (standby)' : '', command.execPath, command.execArgv.join(' '));
  return child;
}

/**
 * Passes the child's stderr on to the parent's and keeps its last 8 KB, then
 * calls `onEnd` once the child has exited and its stderr is drained (or 200 ms
 * after the exit, if a grandchild holds the pipe open).
 */
export function watchChildEnd(
  child: ChildProcess,
  onEnd: (exitCode: number | null, signal: NodeJS.Signals | null, stderr: string) => void,
): void {
  let tail = '';
  const stderr = child.stderr!;
  stderr.setEncoding('utf8');
  stderr.on('data', (chunk: string) => {
    // Read as it comes, never paused: what the parent's stderr doesn't take yet waits in the parent as
    // its own output would (and holds it alive), and none of it is left in the pipe when the child is let go.
    process.stderr.write(chunk);
    tail = (tail + chunk).slice(-STDERR_TAIL);
  });
  let exitCode: number | null = null;
  let signal: NodeJS.Signals | null = null;
  child.once('exit', (code, sig) => {
    exitCode = code;
    signal = sig;
    setTimeout(() => onEnd(exitCode, signal, tail), CLOSE_WAIT_MS).unref();
  });
  child.once('close', () => onEnd(exitCode ?? child.exitCode, signal ?? child.signalCode, tail));
}

/** Whether the child's process handle, IPC channel and stderr pipe hold the parent's event loop. */
export function setChildReferenced(child: ChildProcess, on: boolean): void {
  const channel = child.channel as { ref?(): void; unref?(): void } | null | undefined;
  const stderr = child.stderr as unknown as Socket | null;
  if (on) {
    child.ref();
    channel?.ref?.();
    stderr?.ref();
  } else {
    child.unref();
    channel?.unref?.();
    stderr?.unref();
  }
}

/** SIGKILLs a child's process group (the child leads one: `detached`). Gone already is fine. */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined || process.platform === 'win32') return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // no such group any more
  }
}

/**
 * Ends what a child left behind once it is gone: its blob files, and what
 * it started, neither a grandchild in its group (a fresh child exits after its
 * reply, its group goes with it) nor one that left the group. A child that
 * exits ends those itself (child-loop.ts), but one killed by a signal can't,
 * and one that exits sees no environment yet in a process still between
 * fork and exec (a shell's `setsid cmd &`): the parent looks again.
 */
export function endLeftovers(pid: number | undefined, marker: DescendantMarker, groupKilled: boolean): void {
  discardFilesOf(pid);
  if (!groupKilled) killGroup(pid);
  endDescendants([marker]);
}

/** The error for a call whose child ended before replying: out of memory, or any other end. */
export function exitError(exit: ChildExit, heapLimitMb: number | undefined, label: string | undefined): ChildExitedError {
  return OOM_PATTERN.test(exit.stderr) ? new ChildOutOfMemoryError(exit, heapLimitMb, label) : new ChildExitedError(exit, label);
}

/** Node's own serializer refused the value (a Proxy, a host object): the call's data, not the child, is at fault. */
export function isCloneError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'DataCloneError' || /could not be cloned/.test(error.message));
}
