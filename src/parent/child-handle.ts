import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { debuglog } from 'node:util';
import { ChildExitedError, ChildOutOfMemoryError, type ChildExit } from '../errors/child-exited-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { PRELOAD_FLAG } from '../protocol.js';
import { builtin } from '../shared/builtin.js';
import { discardFilesOf, discardReplyBlobs, replyFilesProblem } from '../codec/side-channel.js';
import { parseChildMessage, type ErrorMessage, type ParentMessage, type ResultMessage } from '../protocol.js';
import { SerializationError } from '../errors/serialization-error.js';
import type { ChildCommand } from './child-command.js';
import { guardMessageSize } from './message-size-guard.js';

const debug = debuglog('isolated-call');

/** The child entry sits next to the parent's build output (dist/child.cjs). */
const childEntry = fileURLToPath(new URL('./child.cjs', import.meta.url));

const STDERR_TAIL = 8192;
const OOM_PATTERN = /JavaScript heap out of memory|Reached heap limit|Ineffective mark-compacts near heap limit/;
/** How long to wait for stderr to drain after 'exit' before giving up on 'close'. */
const CLOSE_WAIT_MS = 200;

export type ChildReply = ResultMessage | ErrorMessage;

/** Where a call's outcome goes: exactly one of the two is called, unless the call is forgotten. */
export interface Pending {
  /** The call's `Class.method`, for the errors about this child. */
  readonly label?: string;
  resolve(reply: ChildReply): void;
  reject(error: Error): void;
}

/**
 * One child process as the parent sees it: sends calls, routes replies by id,
 * keeps the tail of stderr, and turns every way the child can end into a
 * rejection of whatever is still pending on it.
 */
export class ChildHandle {
  readonly process: ChildProcess;
  readonly pid: number | undefined;
  readonly spawnedAt = performance.now();
  readyAt: number | undefined;
  /** Calls started on this child. */
  calls = 0;
  /** Peak RSS the child reported for its last call, in bytes. */
  lastPeakRss = 0;
  /** Set once the child is gone and its stderr is drained. */
  exit: ChildExit | undefined;
  /** Set when the parent decided to end the child (retire, kill). */
  ending = false;
  private readonly pending = new Map<number, Pending>();
  private stderrTail = '';
  private readonly exitWaiters: (() => void)[] = [];
  private referenced = true;
  private killed = false;

  /**
   * @param preload Let the child load this package's builds while it waits
   *   (a standby child): the user's module then finds them loaded.
   * @param onExit Called once the child is gone and its stderr drained (the registry frees its place).
   */
  constructor(
    command: ChildCommand,
    private readonly heapLimitMb: number | undefined,
    preload: boolean,
    private readonly onExit: (child: ChildHandle) => void,
  ) {
    const { fork } = builtin<typeof import('node:child_process')>('node:child_process');
    this.process = fork(childEntry, preload ? [...command.args, PRELOAD_FLAG] : command.args, {
      execPath: command.execPath,
      execArgv: [...command.execArgv],
      env: command.env,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      // The child leads its own process group, so a kill reaches whatever it
      // started too (a grandchild must not outlive the call).
      detached: true,
    });
    this.pid = this.process.pid;
    debug('started child pid %d%s: %s %s', this.pid, preload ? ' (standby)' : '', command.execPath, command.execArgv.join(' '));

    const stderr = this.process.stderr!;
    stderr.setEncoding('utf8');
    stderr.on('data', (chunk: string) => {
      process.stderr.write(chunk);
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
    });
    this.process.on('message', (message) => this.onMessage(message));
    const { maxMessageBytes } = command;
    guardMessageSize(this.process, maxMessageBytes, (bytes) =>
      this.protocolFailure(
        `a message of ${formatBytes(bytes)}, over the limit of ${formatBytes(maxMessageBytes)}, was dropped unread`,
        undefined,
        false,
        'Return less data at once, or raise the maxMessageBytes option if such results are expected.',
      ),
    );
    this.process.on('error', (error) => this.onSpawnError(error));
    let exitCode: number | null = null;
    let signal: NodeJS.Signals | null = null;
    this.process.once('exit', (code, sig) => {
      exitCode = code;
      signal = sig;
      setTimeout(() => this.finish(exitCode, signal), CLOSE_WAIT_MS).unref();
    });
    this.process.once('close', () => this.finish(exitCode ?? this.process.exitCode, signal ?? this.process.signalCode));
  }

  get alive(): boolean {
    // 'exit' comes before `this.exit` is set (stderr still drains), and a
    // closed channel often before 'exit': either way it can't take a call.
    return this.exit === undefined && this.process.exitCode === null && this.process.signalCode === null && this.process.connected;
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Sends a call; `pending` hears the child's reply, or why there will be
   * none. Every way the message can fail to go out means the child is gone or
   * going (a warm child killed a moment ago gives EPIPE), so it is ended and
   * its exit fails the call as a ChildExitedError, which retries understand.
   * Only a value Node can't serialize at all fails here, typed.
   */
  request(message: ParentMessage & { type: 'call' }, pending: Pending): void {
    if (this.exit) return pending.reject(this.exitError(this.exit, pending.label));
    this.calls++;
    this.pending.set(message.id, pending);
    this.setReferenced(true);
    try {
      this.process.send(message, (error) => {
        if (error && this.pending.has(message.id)) this.kill(`sending call ${message.id} failed: ${error.message}`);
      });
    } catch (error) {
      this.settle(message.id);
      if (isCloneError(error)) {
        pending.reject(new SerializationError('args', `Node could not serialize it (${(error as Error).message})`, { cause: error, pid: this.pid }));
      } else {
        this.pending.set(message.id, pending);
        this.kill(`sending call ${message.id} failed: ${(error as Error).message}`);
      }
    }
  }

  /** Fire-and-forget message (abort); losing it to a dead child is fine. */
  notify(message: ParentMessage): void {
    try {
      this.process.send(message, () => {});
    } catch {
      // the child is gone; nothing to tell it
    }
  }

  /** Stops waiting for a call (timeout, abort): its reply, if any, is dropped. */
  forget(id: number): void {
    this.settle(id);
  }

  /** Ends the child and everything it started (its process group) now; `why` goes to the debug log. */
  kill(why = 'ended by the parent'): void {
    this.ending = true;
    if (this.killed) return;
    this.killed = true;
    debug('killing child pid %d and its process group: %s', this.pid, why);
    killGroup(this.pid);
    if (this.exit === undefined && this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
  }

  /** Lets the child leave on its own (it exits when its channel closes), killing it after `grace` ms. */
  retire(grace: number): void {
    debug('retiring child pid %d (idle, recycled or shut down); killed in %d ms if still there', this.pid, grace);
    this.ending = true;
    if (this.process.connected) this.process.disconnect();
    this.killAfter(grace);
  }

  /** Kills the child after `ms` unless it is gone by then. Never keeps the parent alive. */
  killAfter(ms: number): void {
    this.ending = true;
    this.setReferenced(false);
    if (this.exit) return;
    setTimeout(() => this.kill(`still alive ${ms} ms after its call ended`), ms).unref();
  }

  /** Resolves once the child is gone (immediately if it is). */
  exited(): Promise<void> {
    return this.exit ? Promise.resolve() : new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /**
   * An idle child must never keep the parent's event loop alive, a busy one
   * must: its result is still to come.
   */
  setReferenced(on: boolean): void {
    if (on === this.referenced || this.exit) return;
    this.referenced = on;
    const channel = this.process.channel as { ref?(): void; unref?(): void } | null | undefined;
    if (on) {
      this.process.ref();
      channel?.ref?.();
      (this.process.stderr as unknown as Socket | null)?.ref();
    } else {
      this.process.unref();
      channel?.unref?.();
      (this.process.stderr as unknown as Socket | null)?.unref();
    }
  }

  private settle(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.setReferenced(false);
  }

  /**
   * Everything a child sends is untrusted (it may run a dependency processing
   * hostile data): it goes through parseChildMessage, and anything malformed
   * fails the call it names (or, without a usable id, every call of the child)
   * with a ProtocolError and kills the child. Never throws.
   */
  private onMessage(message: unknown): void {
    try {
      const parsed = parseChildMessage(message);
      if (parsed.kind === 'foreign') return; // someone else's traffic on the channel
      if (parsed.kind === 'invalid') return this.protocolFailure(parsed.reason, parsed.id, parsed.otherVersion);
      const reply = parsed.message;
      if (reply.type === 'ready') {
        this.readyAt = performance.now();
        return;
      }
      const files = replyFilesProblem(reply.type === 'result' ? reply.value : reply.error, this.pid);
      if (files !== undefined) return this.protocolFailure(`${reply.type} for call ${reply.id}: ${files}`, reply.id);
      const pending = this.pending.get(reply.id);
      if (!pending) {
        // A late reply to a call that timed out or was aborted: only its files need handling.
        return discardReplyBlobs(reply, this.pid);
      }
      this.settle(reply.id);
      pending.resolve(reply);
    } catch (error) {
      this.protocolFailure(`it could not be handled (${String(error)})`);
    }
  }

  /**
   * The child broke the protocol: the call `id` names fails (every pending
   * call when it names none of them), and the child is killed, so its slot
   * is freed through the usual exit path.
   */
  private protocolFailure(reason: string, id?: number, otherVersion = false, advice?: string): void {
    const versions = advice !== undefined ? ` ${advice}` : otherVersion
      ? ' Two versions of isolated-call are installed; make the module that defines the method import the same one as the caller (npm ls isolated-call).'
      : ' The child may have been subverted by the data it was processing, or it wrote on the IPC channel itself (process.send).';
    const error = new ProtocolError(`The child (pid ${this.pid}) sent a malformed message: ${reason}.${versions}`, { pid: this.pid });
    const pending = id === undefined ? undefined : this.pending.get(id);
    if (pending) {
      this.settle(id!);
      pending.reject(error);
    } else {
      this.rejectAll(error);
    }
    this.kill(`protocol error: ${reason}`);
  }

  private onSpawnError(error: Error): void {
    debug('child pid %d error: %s', this.pid, error.message);
    // 'error' also fires when kill() or send() fail on a process already gone;
    // only a failed spawn (no pid) means calls can't proceed.
    if (this.pid === undefined) {
      this.rejectAll(error);
      this.finish(null, null);
    }
  }

  /** Fails every pending call, with one error or one made for each call. */
  private rejectAll(error: Error | ((pending: Pending) => Error)): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(typeof error === 'function' ? error(p) : error);
  }

  private finish(exitCode: number | null, signal: NodeJS.Signals | null): void {
    if (this.exit) return;
    this.exit = { pid: this.pid, exitCode, signal, stderr: this.stderrTail };
    debug('child pid %d ended: code %s, signal %s', this.pid, exitCode, signal);
    const exit = this.exit;
    this.rejectAll((pending) => this.exitError(exit, pending.label));
    discardFilesOf(this.pid);
    // The child is gone, but what it started may not be: a grandchild in its
    // group outlives no call (a fresh child exits after its reply, and its
    // group goes with it after the grace period at most).
    if (!this.killed) killGroup(this.pid);
    for (const waiter of this.exitWaiters.splice(0)) waiter();
    this.onExit(this);
  }

  private exitError(exit: ChildExit, label: string | undefined): ChildExitedError {
    return OOM_PATTERN.test(exit.stderr) ? new ChildOutOfMemoryError(exit, this.heapLimitMb, label) : new ChildExitedError(exit, label);
  }
}

/** SIGKILLs a child's process group (the child leads one: `detached`). Gone already is fine. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined || process.platform === 'win32') return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // no such group any more
  }
}

/** Node's own serializer refused the value (a Proxy, a host object): the call's data, not the child, is at fault. */
function isCloneError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'DataCloneError' || /could not be cloned/.test(error.message));
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${bytes} bytes`;
}
