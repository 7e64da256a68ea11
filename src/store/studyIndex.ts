import type Redis from 'ioredis';
import { QUEUE_PREFIX } from '../queue/jobTypes';

export type InstanceState = 'received' | 'analysed' | 'failed' | 'notAnalysed';

/** One instance of a study as indexed: UIDs, where it is, what it shows. No patient data. */
export interface IndexedInstance {
  sopInstanceUid: string;
  seriesUid: string;
  sopClassUid: string;
  path: string;
  /** Image Laterality (or Laterality): L, R, B. */
  laterality?: string;
  /** View Position: CC, MLO, ... */
  view?: string;
  state: InstanceState;
  reason?: string;
  updatedAt: number;
}

/** Records "received" unless the instance already finished: a re-run must not undo an analysis. */
const RECORD_RECEIVED = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local state = cjson.decode(current)['state']
  if state == 'analysed' or state == 'failed' or state == 'notAnalysed' then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
return 1
`;

/**
 * Per-study index in Redis: `<prefix>:study-index:<StudyUID>` is a hash SOP Instance UID → JSON
 * entry, and `<prefix>:study-index` the set of indexed studies.
 */
export class StudyIndex {
  constructor(private readonly redis: Redis) {}

  private studyKey(studyUid: string): string {
    return `${QUEUE_PREFIX}:study-index:${studyUid}`;
  }

  private get studiesKey(): string {
    return `${QUEUE_PREFIX}:study-index`;
  }

  /** Returns false when the instance had already finished (entry left as it was). */
  async markReceived(
    studyUid: string,
    entry: Omit<IndexedInstance, 'state' | 'updatedAt'>,
  ): Promise<boolean> {
    const value: IndexedInstance = { ...entry, state: 'received', updatedAt: Date.now() };
    const changed = await this.redis.eval(
      RECORD_RECEIVED,
      2,
      this.studyKey(studyUid),
      this.studiesKey,
      entry.sopInstanceUid,
      JSON.stringify(value),
      studyUid,
    );
    return changed === 1;
  }

  async setState(
    studyUid: string,
    sopInstanceUid: string,
    state: InstanceState,
    reason?: string,
  ): Promise<void> {
    const current = await this.getInstance(studyUid, sopInstanceUid);
    if (!current) throw new Error(`instance ${sopInstanceUid} is not in the index of study ${studyUid}`);
    const next: IndexedInstance = { ...current, state, updatedAt: Date.now() };
    if (reason) next.reason = reason;
    else delete next.reason;
    await this.redis.hset(this.studyKey(studyUid), sopInstanceUid, JSON.stringify(next));
  }

  async getInstance(studyUid: string, sopInstanceUid: string): Promise<IndexedInstance | undefined> {
    const raw = await this.redis.hget(this.studyKey(studyUid), sopInstanceUid);
    return raw ? (JSON.parse(raw) as IndexedInstance) : undefined;
  }

  /** Instances of a study, ordered by SOP Instance UID (stable). */
  async getStudy(studyUid: string): Promise<IndexedInstance[]> {
    const all = await this.redis.hgetall(this.studyKey(studyUid));
    return Object.keys(all)
      .sort()
      .map((sop) => JSON.parse(all[sop]) as IndexedInstance);
  }

  async studies(): Promise<string[]> {
    return (await this.redis.smembers(this.studiesKey)).sort();
  }

  /** Removes a study from the index (retention: `mammocad prune`). */
  async forget(studyUid: string): Promise<void> {
    await this.redis.multi().del(this.studyKey(studyUid)).srem(this.studiesKey, studyUid).exec();
  }

  /** Drops instances a rejection note took out of the study. */
  async remove(studyUid: string, sopInstanceUids: readonly string[]): Promise<void> {
    if (sopInstanceUids.length > 0) await this.redis.hdel(this.studyKey(studyUid), ...sopInstanceUids);
  }

  /** Analysed, failed or left out by configuration: nothing left to do for it. */
  async isFinished(studyUid: string, sopInstanceUid: string): Promise<boolean> {
    const entry = await this.getInstance(studyUid, sopInstanceUid);
    return entry !== undefined && entry.state !== 'received';
  }
}
