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
  /** The BullMQ objects of the link, from the moment they are made (before Redis answers). */
  private objects: Link | undefined;
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

  /** Closes the connections, also those still connecting (Redis unreachable): never waits for Redis to answer first. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const objects = this.objects;
    this.link = undefined;
    this.objects = undefined;
    if (objects) await closeAll(objects);
  }

  private async open(): Promise<Link> {
    const clients = [0, 1, 2].map(() => ownConnection(this.connection));
    const opts = (i: number) => ({ connection: clients[i]!.connection, ...(this.prefix ? { prefix: this.prefix } : {}) });
    const objects: Link = {
      queue: new Queue(this.name, opts(0)),
      events: new QueueEvents(this.name, opts(1)),
      producer: new QueueEventsProducer(this.name, opts(2)),
      clients,
    };
    this.objects = objects;
    // Errors surface on the calls; an 'error' event without a listener would crash the process.
    const ignore = () => {};
    objects.queue.on('error', ignore);
    objects.events.on('error', ignore);
    objects.producer.on('error', ignore);
    try {
      await Promise.all([objects.queue.waitUntilReady(), objects.events.waitUntilReady(), objects.producer.waitUntilReady()]);
    } catch (error) {
      if (this.objects === objects) {
        this.link = undefined;
        this.objects = undefined;
      }
      await closeAll(objects);
      throw error;
    }
    return objects;
  }
}

async function closeAll({ queue, events, producer, clients }: Link): Promise<void> {
  await Promise.allSettled([queue.close(), events.close(), producer.close()]);
  await Promise.allSettled(clients.map((c) => c.close()));
}
