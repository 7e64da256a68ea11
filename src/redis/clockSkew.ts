import type Redis from 'ioredis';
import { logger } from '../log/logger';
import { clockSkewSeconds } from '../metrics/metrics';

/** Beyond this the settle window visibly stretches or shrinks (pipeline.settleSeconds is 10 s by default). */
const TOLERANCE_MS = 2000;
/** Clocks drift slowly; one TIME an hour costs nothing. */
const CHECK_EVERY_MS = 3_600_000;

/**
 * How far this machine's clock is ahead of the Redis server's (negative: behind), in ms, measured
 * against Redis TIME at the middle of the round trip.
 */
export async function measureClockSkew(redis: Redis, now: () => number = Date.now): Promise<number> {
  const sent = now();
  const [seconds, micros] = await redis.time();
  const received = now();
  return Math.round((sent + received) / 2 - (Number(seconds) * 1000 + Number(micros) / 1000));
}

/**
 * Every role stamps times into Redis that another machine compares with its own clock: the receiver's
 * arrival time against the worker's settle window, BullMQ's delays and lock expiries. A worker whose
 * clock is a minute behind reports every study a minute late; one ahead reports before the study has
 * settled. This checks at start and hourly, sets mammocad_clock_skew_seconds and warns beyond 2 s.
 * Returns a stop function.
 */
export function watchClockSkew(redis: Redis, now: () => number = Date.now): () => void {
  const check = async () => {
    try {
      const skewMs = await measureClockSkew(redis, now);
      clockSkewSeconds.set(skewMs / 1000);
      if (Math.abs(skewMs) > TOLERANCE_MS)
        logger.warn('clock differs from the Redis server', {
          skewMs,
          hint: 'keep every machine of the node in time with NTP (chrony, systemd-timesyncd): study settle windows and job delays compare times taken on different machines',
        });
    } catch {
      // Redis away: its own watchers report that; the next check measures again.
    }
  };
  void check();
  const timer = setInterval(() => void check(), CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
