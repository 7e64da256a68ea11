import type Redis from 'ioredis';
import { logger } from '../log/logger';

/**
 * Runs `scan` every time the Redis connection comes back after a loss: stores refused while Redis
 * was away (and jobs Redis lost in its last second before a crash) are queued from the spool.
 * Scans never overlap; one requested during a scan runs after it. Returns a stop function.
 */
export function requeueOnRedisReconnect(redis: Redis, scan: () => Promise<unknown>): () => void {
  let lost = false;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const run = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = scan()
      .then(
        () => undefined,
        (e: Error) => void logger.warn('spool re-queue after reconnect failed', { error: e.message }),
      )
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const onClose = () => {
    if (!lost) logger.warn('redis connection lost; stores are refused until it is back');
    lost = true;
  };
  const onReady = () => {
    if (!lost) return;
    lost = false;
    logger.info('redis connection back; re-queuing the spool');
    run();
  };
  redis.on('close', onClose);
  redis.on('ready', onReady);
  return () => {
    stopped = true;
    redis.off('close', onClose);
    redis.off('ready', onReady);
  };
}
