import type { ResolvedOptions } from '../../options/table.js';
import type { ChildCommand } from '../children/child-command.js';
import type { ChildExitReason } from '../children/child-events.js';
import type { PoolChild } from './pool-child.js';
import { claimIdle, offerIdle } from './child-registry.js';

const MB = 1024 * 1024;

/**
 * The idle children one method keeps for its next calls (`keepAlive`): which
 * child may stay, how long, and which is handed out next. An idle child never
 * keeps the parent alive, and gives way when another method's call waits for
 * a place under `maxChildren`.
 */
export class WarmChildren {
  private readonly idle: PoolChild[] = [];
  private readonly timers = new Map<PoolChild, NodeJS.Timeout>();
  /** The command each child was started with: one started before configure() changed it isn't kept. */
  private readonly commandKeys = new WeakMap<PoolChild, string>();

  constructor(
    private options: ResolvedOptions,
    private command: ChildCommand,
  ) {}

  /** Remembers which command started a child of this method. */
  adopt(child: PoolChild): void {
    this.commandKeys.set(child, this.command.key);
  }

  /** Takes `configure()`'s new options; idle children that no longer fit are retired. */
  reconfigure(options: ResolvedOptions, command: ChildCommand): void {
    this.options = options;
    this.command = command;
    for (const child of [...this.idle]) {
      if (options.keepAlive === 0 || this.commandKeys.get(child) !== command.key) this.drop(child, 'recycled');
    }
  }

  /** Whether a child whose call just ended may wait for the next one. */
  mayKeep(child: PoolChild): boolean {
    const { keepAlive, maxCallsPerChild, maxChildRss } = this.options;
    return (
      keepAlive > 0 &&
      child.alive &&
      !child.ending &&
      this.commandKeys.get(child) === this.command.key &&
      child.calls < maxCallsPerChild &&
      child.lastPeakRss <= maxChildRss * MB
    );
  }

  /** Parks a child until the next call or until its keepAlive runs out (`Infinity`: until it is needed elsewhere, or shutdown). */
  keep(child: PoolChild): void {
    child.setReferenced(false);
    this.idle.push(child);
    const { keepAlive } = this.options;
    if (keepAlive !== Infinity) this.timers.set(child, setTimeout(() => this.drop(child, 'idle'), keepAlive).unref());
    offerIdle(child, () => this.drop(child, 'made-room'));
  }

  /** The most recently used idle child that can still take a call. */
  take(): PoolChild | undefined {
    let child: PoolChild | undefined;
    while ((child = this.idle.pop()) !== undefined) {
      this.forget(child);
      if (child.alive && !child.ending) return child;
    }
    return undefined;
  }

  /** Lets a child leave: it exits when its channel closes, or is killed after the grace period. */
  retire(child: PoolChild, reason: ChildExitReason): void {
    this.forget(child);
    child.retire(this.options.grace, reason);
  }

  /** Retires every idle child (shutdown). */
  retireAll(): void {
    for (const child of this.idle.splice(0)) this.retire(child, 'shutdown');
  }

  /** Ends an idle child: its keepAlive ran out, or a call elsewhere needs its place. */
  private drop(child: PoolChild, reason: ChildExitReason): void {
    const index = this.idle.indexOf(child);
    if (index !== -1) this.idle.splice(index, 1);
    this.retire(child, reason);
  }

  private forget(child: PoolChild): void {
    clearTimeout(this.timers.get(child));
    this.timers.delete(child);
    claimIdle(child);
  }
}
