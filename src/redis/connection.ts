import Redis, { RedisOptions } from 'ioredis';
import { withTimeout } from '../runtime/withTimeout';

/**
 * ioredis's disconnect() arms a timer that only the socket's close clears. When the socket has
 * already closed (a failed connection attempt, or a close while its ready check was in flight), the
 * timer runs its full length, 2 s by default, and holds a stopping process open that long. Closing
 * is a hard disconnect either way, so a short wait is enough.
 */
export const DISCONNECT_TIMEOUT_MS = 100;

/** ioredis options BullMQ requires for blocking connections: never give up on a command. */
export function redisOptions(url: string): RedisOptions & { url: string } {
  return { url, maxRetriesPerRequest: null, enableReadyCheck: true, disconnectTimeout: DISCONNECT_TIMEOUT_MS };
}

export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, disconnectTimeout: DISCONNECT_TIMEOUT_MS });
}

/**
 * A client for one probe (is Redis up?): it connects on demand, fails at once instead of retrying,
 * and is disconnected right after.
 */
export function probeRedis(url: string, connectTimeoutMs?: number): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
    ...(connectTimeoutMs !== undefined && { connectTimeout: connectTimeoutMs }),
  });
  client.on('error', () => undefined); // the probe's caller reads the failure from connect()
  return client;
}

/**
 * One exchange on a probe connection, connecting included, bounded by `timeoutMs`: something that
 * accepts the connection but never answers (a Redis stopped with SIGSTOP or swapping, another service
 * on the port) would otherwise hold the caller for ever, since ioredis's connect waits for its ready
 * check. Rejects on timeout; the connection is closed either way.
 */
export async function askRedis<T>(url: string, timeoutMs: number, ask: (client: Redis) => Promise<T>): Promise<T> {
  const client = probeRedis(url, timeoutMs);
  const exchange = (async () => {
    await client.connect();
    return ask(client);
  })();
  try {
    return await withTimeout(exchange, timeoutMs, `asking ${url}`);
  } finally {
    client.disconnect();
  }
}

/** What Redis answers to PING on a probe connection; rejects when it cannot be reached in time. */
export function pingRedis(url: string, timeoutMs = 5000): Promise<string> {
  return askRedis(url, timeoutMs, (client) => client.ping());
}
