import Redis, { RedisOptions } from 'ioredis';

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

/** What Redis answers to PING on a probe connection; rejects when it cannot be reached. */
export async function pingRedis(url: string, connectTimeoutMs?: number): Promise<string> {
  const client = probeRedis(url, connectTimeoutMs);
  try {
    await client.connect();
    return await client.ping();
  } finally {
    client.disconnect();
  }
}
