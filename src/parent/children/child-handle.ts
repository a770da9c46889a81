import type { ChildProcess } from 'node:child_process';
import { debuglog } from 'node:util';
import type { ChildExit } from '../../errors/child-exited-error.js';
import type { ParentMessage } from '../../protocol/messages.js';
import type { ChildCommand } from './child-command.js';
import { type ChildExitReason, publishExit, publishSpawn } from './child-events.js';
import { endLeftovers, exitError, forkChild, killGroup, watchChildEnd } from './child-process.js';
import type { ChannelMemory } from '../../protocol/build-messages.js';
import { openChannel } from './open-channel.js';
import { type GivenCodeCache, giveCodeCache } from '../caches/code-cache.js';
import { compileCacheArgs } from '../caches/compile-cache.js';
import type { ChildSender } from './child-sender.js';
import { PendingReplies, type Pending } from '../calls/pending-replies.js';
import { ChildHold } from './child-hold.js';
import { type DescendantMarker, newMarker } from '../../shared/descendants.js';
import type { PoolChild } from '../pool/pool-child.js';

const debug = debuglog('isolated-call');

/**
 * One child process as the parent sees it: sends calls, routes replies by id,
 * keeps the tail of stderr, and turns every way the child can end into a
 * rejection of whatever is still pending on it.
 */
export class ChildHandle implements PoolChild {
  readonly process: ChildProcess;
  readonly pid: number | undefined;
  readonly spawnedAt = performance.now();
  /** What the child and whatever it starts carry, to be found when it ends. */
  readonly marker: DescendantMarker = newMarker();
  readyAt: number | undefined;
  calls = 0;
  lastPeakRss = 0;
  /** Set once the child is gone and its stderr is drained. */
  exit: ChildExit | undefined;
  /** Set when the parent decided to end the child (retire, kill). */
  ending = false;
  target: string | undefined;
  /** Why the parent ended the child, once it decided to (child-events.ts says which decision counts). */
  endReason: ChildExitReason | undefined;
  /** It crashed before `ready` on a code cache (now dropped): its calls never started. */
  diedOnCodeCache = false;
  private readonly codeCache: GivenCodeCache | undefined;
  private readonly pending = new PendingReplies(() => this.setReferenced(false));
  private readonly exitWaiters: (() => void)[] = [];
  private readonly sender: ChildSender;
  private readonly hold: ChildHold;
  private killed = false;

  /**
   * @param preload Let the child load this package's builds while it waits
   *   (a standby child): the user's module then finds them loaded.
   * @param onExit Called once the child is gone and its stderr drained (the registry frees its place).
   * @param target The method it is started for; undefined for a standby child.
   */
  constructor(
    command: ChildCommand,
    private readonly heapLimitMb: number | undefined,
    private readonly preload: boolean,
    private readonly onExit: (child: ChildHandle) => void,
    target: string | undefined,
  ) {
    this.codeCache = giveCodeCache(command);
    this.process = forkChild(command, preload, this.marker, [...(this.codeCache?.args ?? []), ...compileCacheArgs(command)]);
    this.pid = this.marker.pid = this.process.pid;
    this.hold = new ChildHold(this.process);
    this.target = target;
    publishSpawn(() => ({ pid: this.pid, target, standby: preload, execPath: command.execPath, execArgv: command.execArgv }));
    this.sender = openChannel(this.process, command, {
      pid: this.pid,
      pending: this.pending,
      ready: () => {
        this.readyAt ??= performance.now();
      },
      end: (why, reason) => this.kill(why, reason),
      output: (draining) => this.hold.output.update(draining),
    });
    this.process.on('error', (error) => this.onSpawnError(error));
    watchChildEnd(this.process, (exitCode, signal, stderr) => this.finish(exitCode, signal, stderr));
  }

  get alive(): boolean {
    // 'exit' comes before `this.exit` is set (stderr still drains), and a
    // closed channel often before 'exit': either way it can't take a call.
    return this.exit === undefined && this.process.exitCode === null && this.process.signalCode === null && this.process.connected;
  }

  get channel(): ChannelMemory {
    return this.sender;
  }

  /**
   * Sends a call; `pending` hears the child's reply, or why there will be
   * none. Every way the message can fail to go out means the child is gone or
   * going (a warm child killed a moment ago gives EPIPE), so it is ended and
   * its exit fails the call as a ChildExitedError, which retries understand.
   * Only a value Node can't serialize at all fails here, typed. The message
   * goes out at once, or once the child has said `ready` (child-sender.ts).
   */
  request(message: ParentMessage & { type: 'call' }, pending: Pending): void {
    if (this.exit) {
      pending.reject(exitError(this.exit, this.heapLimitMb, pending.label));
      return;
    }
    this.calls++;
    this.pending.add(message.id, pending);
    this.setReferenced(true);
    this.sender.send(message);
  }

  /** Fire-and-forget message (abort); losing it to a dead child is fine. */
  notify(message: ParentMessage): void {
    this.sender.send(message);
  }

  /** Stops waiting for a call (timeout, abort): its reply, if any, is dropped. */
  forget(id: number): void {
    this.pending.take(id);
  }

  /**
   * Ends the child and everything it started (its process group) now; `why`
   * goes to the debug log. `reason` overrides a retirement under way (a
   * timeout outranks "idle"); without one, an earlier reason stands.
   */
  kill(why = 'ended by the parent', reason?: ChildExitReason): void {
    this.ending = true;
    if (reason !== undefined && this.exit === undefined) this.endReason = reason;
    if (this.killed) return;
    this.killed = true;
    debug('killing child pid %d and its process group: %s', this.pid, why);
    killGroup(this.pid);
    if (this.exit === undefined && this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
  }

  /** Lets the child leave on its own (it exits when its channel closes), killing it after `grace` ms. */
  retire(grace: number, reason: ChildExitReason): void {
    debug('retiring child pid %d (%s); killed in %d ms if still there', this.pid, reason, grace);
    this.endReason ??= reason;
    this.ending = true;
    if (this.process.connected) this.process.disconnect();
    this.killAfter(grace, reason);
  }

  /**
   * Kills the child after `ms` (`Infinity`: never) unless it is gone by then
   * (an earlier reason stands); after a call or at retirement, not while its
   * output drains (child-hold.ts). A fresh child after its call holds the
   * parent until it is gone.
   */
  killAfter(ms: number, reason: ChildExitReason): void {
    this.endReason ??= reason;
    this.ending = true;
    this.setReferenced(false);
    if (reason === 'after-call') this.hold.leave();
    if (this.exit || ms === Infinity) return;
    this.hold.after(ms, reason !== 'timeout' && reason !== 'abort', () => this.kill(`still alive ${ms} ms after its call ended`));
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
    if (!this.exit) this.hold.setCalls(on);
  }

  private onSpawnError(error: Error): void {
    debug('child pid %d error: %s', this.pid, error.message);
    // 'error' also fires when kill() or send() fail on a process already gone;
    // only a failed spawn (no pid) means calls can't proceed.
    if (this.pid === undefined) {
      this.endReason = 'spawn-failed';
      this.pending.rejectAll(error);
      this.finish(null, null, '');
    }
  }

  private finish(exitCode: number | null, signal: NodeJS.Signals | null, stderr: string): void {
    if (this.exit) return;
    this.hold.release();
    this.exit = { pid: this.pid, exitCode, signal, stderr };
    // Decided before the pending calls hear of it: their pools retire the child as a matter of course.
    const reason = (this.endReason ??= 'crash');
    this.diedOnCodeCache = reason === 'crash' && this.readyAt === undefined && this.codeCache?.diedBeforeReady(signal) === true;
    debug('child pid %d ended: code %s, signal %s (%s)', this.pid, exitCode, signal, reason);
    const { pid, target, preload: standby, calls } = this;
    publishExit(() => ({ pid, target, standby, exitCode, signal, reason, calls }));
    const exit = this.exit;
    this.pending.rejectAll((pending) => exitError(exit, this.heapLimitMb, pending.label));
    endLeftovers(this.pid, this.marker, this.killed);
    for (const waiter of this.exitWaiters.splice(0)) waiter();
    this.onExit(this);
  }
}
