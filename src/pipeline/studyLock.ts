import { logger } from '../log/logger';
import type { StudyStateStore } from './studyStateStore';

/**
 * Runs `work` holding the study's lock, so two workers never build one study's objects at once;
 * undefined (without running it) when another holder has it. The lock lapses `ttlMs` after its last
 * renewal, and is renewed every third of that while `work` runs: a worker that dies while building
 * (killed, out of memory) frees the study as soon as the lock lapses, the same pipeline.stalledSeconds
 * after which BullMQ hands its job to another worker, and a build slower than `ttlMs` keeps it.
 */
export async function withStudyLock<T>(
  state: StudyStateStore,
  studyUid: string,
  owner: string,
  ttlMs: number,
  work: () => Promise<T>,
): Promise<T | undefined> {
  if (!(await state.tryLock(studyUid, owner, ttlMs))) return undefined;
  let lapsed = false;
  const renewal = setInterval(() => {
    state.renewLock(studyUid, owner, ttlMs).then(
      (held) => {
        // Redis restarted without the key, or this process was stalled past the lapse: another worker may build now too.
        if (!held && !lapsed) logger.warn('study lock lapsed during a report build', { studyUid });
        lapsed ||= !held;
      },
      () => undefined, // Redis unreachable: the next renewal tries again
    );
  }, ttlMs / 3);
  try {
    return await work();
  } finally {
    clearInterval(renewal);
    await state.unlock(studyUid, owner);
  }
}
