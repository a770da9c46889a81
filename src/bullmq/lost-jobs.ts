/**
 * Notices a pending call's job that is gone from Redis: Redis restarted
 * without its data (no persistence, a failover to an empty replica) or
 * someone deleted the job or the queue. Its completion event will never
 * come, so without this the call would wait forever (or until its timeout).
 *
 * Every CHECK_MS, one pipelined EXISTS per pending job asks Redis whether
 * its key is still there. While Redis is down the check waits in the
 * client's offline queue (the runner's clients retry for good), so it runs
 * as soon as Redis is back: a lost job is noticed a reconnect after Redis
 * returns, within CHECK_MS of it at most.
 */
import type { Redis } from 'ioredis';
import type { LinkHolder } from './link.js';

/** How often the pending jobs are checked, in ms. */
export const CHECK_MS = 5000;

export class LostJobWatch {
  /** Pending jobs, by id: what to do when one is gone. */
  private readonly watched = new Map<string, () => void>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(private readonly holder: LinkHolder) {}

  /** Watches `jobId` until the returned function is called; `onLost` runs at most once. */
  watch(jobId: string, onLost: () => void): () => void {
    this.watched.set(jobId, onLost);
    this.timer ??= setInterval(() => void this.check(), CHECK_MS).unref();
    return () => {
      this.watched.delete(jobId);
      if (this.watched.size === 0) this.stop();
    };
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async check(): Promise<void> {
    if (this.checking || this.watched.size === 0) return;
    this.checking = true;
    try {
      const link = await this.holder.current();
      const client = link?.clients[0]?.connection as Partial<Redis> | undefined;
      if (!link || typeof client?.pipeline !== 'function') return;
      const ids = [...this.watched.keys()];
      const pipeline = client.pipeline();
      for (const id of ids) pipeline.exists(link.queue.toKey(id));
      const results = (await pipeline.exec()) ?? [];
      results.forEach(([error, count], i) => {
        if (error || count !== 0) return;
        const onLost = this.watched.get(ids[i]!);
        this.watched.delete(ids[i]!);
        onLost?.();
      });
    } catch {
      // The link closed or Redis refused: the next check asks again.
    } finally {
      this.checking = false;
    }
  }
}
