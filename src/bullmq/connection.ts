import type { ConnectionOptions } from 'bullmq';
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
