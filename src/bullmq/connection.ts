import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { InvalidOptionError } from '../errors/invalid-option-error.js';

/** A Redis connection as BullMQ takes it, or a `redis://` / `rediss://` URL. */
export type RedisConnection = ConnectionOptions | string;

/** BullMQ's connection options for `connection`; a URL becomes host, port, user, password and db. */
export function connectionOptions(connection: RedisConnection, option = 'connection'): ConnectionOptions {
  if (typeof connection !== 'string') {
    if (typeof connection !== 'object' || connection === null)
      throw new InvalidOptionError(option, 'expected a redis:// URL or BullMQ connection options such as { host, port }');
    return connection;
  }
  let url: URL;
  try {
    url = new URL(connection);
  } catch {
    throw new InvalidOptionError(option, `expected a redis:// URL, got ${JSON.stringify(connection)}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new InvalidOptionError(option, `expected a redis:// or rediss:// URL, got ${JSON.stringify(connection)}`);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined;
  return {
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(db !== undefined && Number.isInteger(db) ? { db } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** Default `maxPayloadBytes`: 4 MiB of packed arguments or result per job. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

/** A connection for one BullMQ object, and how to end it. */
export interface OwnedConnection {
  readonly connection: ConnectionOptions;
  /** Ends the client this module made (a client you passed in is yours to end). */
  close(): Promise<void>;
}

/**
 * A Redis client for one BullMQ object. BullMQ's ES module build can't load
 * ioredis from plain options (it uses require()), so options become an
 * ioredis client here; a client you pass in is used as it is.
 */
export function ownConnection(options: ConnectionOptions): OwnedConnection {
  const maybeClient = options as { duplicate?: unknown };
  if (typeof maybeClient.duplicate === 'function') return { connection: options, close: async () => {} };
  // maxRetriesPerRequest null: what BullMQ requires of the connections its workers block on.
  const client = new Redis({ ...(options as RedisOptions), maxRetriesPerRequest: null });
  client.on('error', () => {}); // errors surface on the calls; an unheard 'error' event would crash the process
  return {
    connection: client as unknown as ConnectionOptions,
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
