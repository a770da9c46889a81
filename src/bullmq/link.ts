import { Queue, QueueEvents, QueueEventsProducer, type ConnectionOptions } from 'bullmq';
import { type OwnedConnection, ownConnection } from './connection.js';

/** A runner's open BullMQ objects: the queue it adds to, the events it waits on, the producer of cancel events. */
export interface Link {
  readonly queue: Queue;
  readonly events: QueueEvents;
  readonly producer: QueueEventsProducer;
  /** The Redis clients made for the three. */
  readonly clients: readonly OwnedConnection[];
}

/** How long the connections stay open after the last pending call, in ms. */
const IDLE_CLOSE_MS = 1000;

/**
 * Opens the runner's Redis connections on the first pending call and closes
 * them a second after the last settles: open sockets would keep an idle
 * process alive, which an isolated method never does.
 */
export class LinkHolder {
  private link: Promise<Link> | undefined;
  private users = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly name: string,
    private readonly connection: ConnectionOptions,
    private readonly prefix: string | undefined,
  ) {}

  /** The open link; pair every call with one `release()`. */
  acquire(): Promise<Link> {
    this.users++;
    clearTimeout(this.idleTimer);
    this.link ??= this.open();
    return this.link;
  }

  release(): void {
    if (--this.users > 0) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.close(), IDLE_CLOSE_MS);
  }

  /** The link if it is open now (for cancelling), without opening it. */
  current(): Promise<Link> | undefined {
    return this.link;
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const link = this.link;
    this.link = undefined;
    if (!link) return;
    const { queue, events, producer, clients } = await link.catch(() => ({}) as Partial<Link>);
    await Promise.allSettled([queue?.close(), events?.close(), producer?.close()]);
    await Promise.allSettled((clients ?? []).map((c) => c.close()));
  }

  private async open(): Promise<Link> {
    const clients = [0, 1, 2].map(() => ownConnection(this.connection));
    const opts = (i: number) => ({ connection: clients[i]!.connection, ...(this.prefix ? { prefix: this.prefix } : {}) });
    const queue = new Queue(this.name, opts(0));
    const events = new QueueEvents(this.name, opts(1));
    const producer = new QueueEventsProducer(this.name, opts(2));
    // Errors surface on the calls; an 'error' event without a listener would crash the process.
    const ignore = () => {};
    queue.on('error', ignore);
    events.on('error', ignore);
    producer.on('error', ignore);
    try {
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady(), producer.waitUntilReady()]);
    } catch (error) {
      this.link = undefined;
      await Promise.allSettled([queue.close(), events.close(), producer.close()]);
      await Promise.allSettled(clients.map((c) => c.close()));
      throw error;
    }
    return { queue, events, producer, clients };
  }
}
