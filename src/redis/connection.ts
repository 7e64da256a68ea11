import Redis, { RedisOptions } from 'ioredis';

/** ioredis options BullMQ requires for blocking connections: never give up on a command. */
export function redisOptions(url: string): RedisOptions & { url: string } {
  return { url, maxRetriesPerRequest: null, enableReadyCheck: true };
}

export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}
