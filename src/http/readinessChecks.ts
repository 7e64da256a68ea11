import * as fs from 'fs';
import { pingRedis } from '../redis/connection';
import { probeSpool } from '../store/spoolProbe';
import { ReadinessCheck } from './readinessCheck';

/** Redis answers PING on a short-lived connection (a broken shared client would hide the outage). */
export function redisReachableCheck(redisUrl: string): ReadinessCheck {
  return {
    name: 'redis',
    async run() {
      try {
        const pong = await pingRedis(redisUrl, 2000);
        return { ok: pong === 'PONG', detail: pong === 'PONG' ? undefined : `PING answered "${pong}"` };
      } catch (err) {
        return { ok: false, detail: `not reachable: ${(err as Error).message}` };
      }
    },
  };
}

/**
 * The spool directory exists, a file can be written, fsynced, hard-linked and removed in it, and its
 * filesystem has at least `minFreeMb` free (the receiver refuses associations below that floor).
 */
export function spoolWritableCheck(spoolDir: string, minFreeMb: number): ReadinessCheck {
  return {
    name: 'spool',
    async run() {
      try {
        await probeSpool(spoolDir);
      } catch (err) {
        return { ok: false, detail: (err as Error).message };
      }
      const stats = await fs.promises.statfs(spoolDir);
      const freeMb = Math.floor((stats.bavail * stats.bsize) / (1024 * 1024));
      if (freeMb < minFreeMb) return { ok: false, detail: `${freeMb} MB free, below the floor of ${minFreeMb} MB` };
      return { ok: true, detail: `${freeMb} MB free` };
    },
  };
}

/**
 * The role's models are loaded. `isLoaded` comes from the detection code (workers); a role without
 * models (receiver) simply does not register this check.
 */
export function modelsLoadedCheck(isLoaded: () => boolean | Promise<boolean>, describe?: () => string): ReadinessCheck {
  return {
    name: 'models',
    async run() {
      const ok = await isLoaded();
      return { ok, detail: ok ? describe?.() : 'models not loaded yet' };
    },
  };
}
