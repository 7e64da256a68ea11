import type Redis from 'ioredis';
import type { ImageFindings } from '../findings/types';
import type { ExportedObjectKind, ReportObjectKind } from '../queue/jobTypes';
import { QUEUE_PREFIX } from '../queue/jobTypes';
import { studiesTotal, studyTurnaroundSeconds } from '../metrics/metrics';

/** How long a rejection of instances of a study not received yet is kept (a note may precede its images). */
const UNKNOWN_STUDY_REJECTION_SECONDS = 7 * 24 * 3600;

const INSTANCE_STUDY_KEY = `${QUEUE_PREFIX}:instance-study`;
/** The rejection title our own note carries when a study lost its last image to a move. */
const INCORRECT_WORKLIST_ENTRY = '113038';

/** One received instance as the pipeline tracks it. */
export interface TrackedInstance {
  sopInstanceUid: string;
  seriesUid: string;
  sopClassUid: string;
  path: string;
  receivedAt: number;
}

/**
 * notReported: the node refuses to report the study (lastError says why); a new image re-examines it.
 * withdrawn: rejection notes took every image of the study away, or they moved to other studies;
 * nothing more is built for it (new images start it again).
 */
export type StudyPhase = 'receiving' | 'reporting' | 'reported' | 'exported' | 'exportFailed' | 'notReported' | 'withdrawn';

/** Where a study's processing ends until something new arrives: what mammocad_studies_total counts. */
export const END_PHASES: readonly StudyPhase[] = ['exported', 'exportFailed', 'notReported', 'withdrawn'];

export interface StudySummary {
  studyUid: string;
  phase: StudyPhase;
  firstImageAt: number;
  lastImageAt: number;
  callingAe?: string;
  /** Fingerprint of the instance set (and outcomes) the current objects were built from. */
  reportedFingerprint?: string;
  reportedAt?: number;
  reportCount: number;
  /** Bumped by an operator's rerun: part of the fingerprint, so the rerun builds and exports afresh. */
  generation: number;
  lastError?: string;
  /** Title code of the last rejection note that took images out of the study (113038 for a move). */
  rejectionTitle?: string;
  /** Images that arrived again under another Study Instance UID and left this study for it. */
  movedOut: number;
  /** Bumped whenever the study's objects were rejected (by a note of ours or the PACS's): their UIDs are spent. */
  uidEpoch: number;
}

export interface ExportRecord {
  object: ExportedObjectKind;
  destination: string;
  fingerprint: string;
  outcome: 'queued' | 'delivered' | 'failed';
  detail: string;
  at: number;
}

/** Where a destination's storage commitment (PS3.4 Annex J) of one build stands. */
export interface CommitmentRecord {
  destination: string;
  fingerprint: string;
  transactionUid: string;
  /** requested: asked, no result yet; resending: objects the PACS did not commit are sent again; failed: given up. */
  outcome: 'requested' | 'committed' | 'resending' | 'failed';
  detail: string;
  /** Times the uncommitted objects were sent again. */
  round: number;
  at: number;
}

/** What a commitment request asked, found again by its Transaction UID when the result comes. */
export interface CommitmentTransaction {
  studyUid: string;
  destination: string;
  fingerprint: string;
  round: number;
  objects: Array<{ object: ReportObjectKind; sopClassUid: string; sopInstanceUid: string }>;
}

/** A PACS's result may come days later (PS3.4 J.3.3 leaves it open); after that it is not expected. */
const COMMITMENT_TRANSACTION_SECONDS = 30 * 24 * 3600;

/**
 * The pipeline's memory of each study in Redis (survives process restarts with AOF): which instances
 * arrived and when, each image's findings, the objects built and where each export stands. Keys:
 * mammocad:study:<uid> (hash), :instances, :findings, :outputs, :exports, :commitments (hashes),
 * :rejected (set of SOP Instance UIDs rejection notes took away), mammocad:studies (sorted set by
 * last arrival), mammocad:instance-study (hash: SOP Instance UID → the study holding it, to notice a
 * move), and mammocad:commitment:<Transaction UID> (what a storage commitment request asked).
 */
export class StudyStateStore {
  constructor(private readonly redis: Redis) {}

  private key(studyUid: string, part?: string): string {
    return `${QUEUE_PREFIX}:study:${studyUid}${part ? `:${part}` : ''}`;
  }

  /** Records an arrival: first, so a report run never misses an instance whose job is still queued. */
  async recordInstance(studyUid: string, instance: TrackedInstance, callingAe?: string): Promise<void> {
    const multi = this.redis.multi();
    multi.hset(this.key(studyUid, 'instances'), instance.sopInstanceUid, JSON.stringify(instance));
    multi.hset(INSTANCE_STUDY_KEY, instance.sopInstanceUid, studyUid);
    multi.hsetnx(this.key(studyUid), 'firstImageAt', String(instance.receivedAt));
    multi.hset(this.key(studyUid), 'lastImageAt', String(instance.receivedAt), 'phase', 'receiving');
    multi.persist(this.key(studyUid, 'rejected'));
    if (callingAe) multi.hset(this.key(studyUid), 'callingAe', callingAe);
    multi.zadd(`${QUEUE_PREFIX}:studies`, instance.receivedAt, studyUid);
    await multi.exec();
  }

  async instances(studyUid: string): Promise<TrackedInstance[]> {
    const all = await this.redis.hvals(this.key(studyUid, 'instances'));
    return all.map((v) => JSON.parse(v) as TrackedInstance).sort((a, b) => a.sopInstanceUid.localeCompare(b.sopInstanceUid));
  }

  async saveFindings(findings: ImageFindings): Promise<void> {
    await this.redis.hset(this.key(findings.studyUid, 'findings'), findings.sopInstanceUid, JSON.stringify(findings));
  }

  async findings(studyUid: string): Promise<Map<string, ImageFindings>> {
    const all = await this.redis.hgetall(this.key(studyUid, 'findings'));
    return new Map(Object.entries(all).map(([k, v]) => [k, JSON.parse(v) as ImageFindings]));
  }

  async summary(studyUid: string): Promise<StudySummary | undefined> {
    const h = await this.redis.hgetall(this.key(studyUid));
    if (!h.lastImageAt) return undefined;
    return {
      studyUid,
      phase: (h.phase as StudyPhase) ?? 'receiving',
      firstImageAt: Number(h.firstImageAt),
      lastImageAt: Number(h.lastImageAt),
      callingAe: h.callingAe || undefined,
      reportedFingerprint: h.reportedFingerprint || undefined,
      reportedAt: h.reportedAt ? Number(h.reportedAt) : undefined,
      reportCount: Number(h.reportCount ?? 0),
      generation: Number(h.generation ?? 0),
      lastError: h.lastError || undefined,
      rejectionTitle: h.rejectionTitle || undefined,
      uidEpoch: Number(h.uidEpoch ?? 0),
      movedOut: Number(h.movedOut ?? 0),
    };
  }

  /**
   * Takes instances out of the study for good (a rejection note): they leave its instances and
   * findings, and join its rejected set, so a copy received later is not taken back in. Instances
   * not received yet are recorded too (a note may come first). Returns the ones that were in the
   * study, and whether the study is one this node has received.
   */
  async rejectInstances(
    studyUid: string,
    sopInstanceUids: readonly string[],
    titleCode: string,
  ): Promise<{ removed: TrackedInstance[]; studyKnown: boolean }> {
    const held = await this.redis.hmget(this.key(studyUid, 'instances'), ...sopInstanceUids);
    const known = (await this.redis.hexists(this.key(studyUid), 'lastImageAt')) === 1;
    const multi = this.redis.multi();
    if (held.some((v) => v !== null)) multi.hset(this.key(studyUid), 'rejectionTitle', titleCode);
    multi.sadd(this.key(studyUid, 'rejected'), ...sopInstanceUids);
    // A study not received (yet): its images are kept out if they come within the week; no key
    // stays behind for the studies a retention note names long after they were pruned here.
    if (!known) multi.expire(this.key(studyUid, 'rejected'), UNKNOWN_STUDY_REJECTION_SECONDS);
    multi.hdel(this.key(studyUid, 'instances'), ...sopInstanceUids);
    multi.hdel(this.key(studyUid, 'findings'), ...sopInstanceUids);
    const heldUids = sopInstanceUids.filter((_, i) => held[i] !== null);
    if (heldUids.length > 0) multi.hdel(INSTANCE_STUDY_KEY, ...heldUids);
    await multi.exec();
    return { removed: held.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as TrackedInstance), studyKnown: known };
  }

  /**
   * The study has no images left: `fingerprint` names the withdrawal, so exports of earlier builds
   * still waiting end as superseded. `notesSent`: rejection notes of ours go out for its objects,
   * whose UIDs are then spent (the next build, from images sent later, takes new ones).
   */
  async recordWithdrawal(studyUid: string, fingerprint: string, reason: string, notesSent: boolean): Promise<void> {
    const current = await this.redis.hget(this.key(studyUid), 'reportedFingerprint');
    const multi = this.redis.multi();
    multi.hset(this.key(studyUid), 'reportedFingerprint', fingerprint, 'phase', 'withdrawn', 'lastError', reason);
    if (notesSent && current !== fingerprint) multi.hincrby(this.key(studyUid), 'uidEpoch', 1);
    await multi.exec();
  }

  /** Our objects of the study were rejected at the PACS: the next build takes new UIDs. */
  async spendObjectUids(studyUid: string): Promise<void> {
    await this.redis.hincrby(this.key(studyUid), 'uidEpoch', 1);
  }

  /** The study that holds the instance, if any. */
  async studyHolding(sopInstanceUid: string): Promise<string | undefined> {
    return (await this.redis.hget(INSTANCE_STUDY_KEY, sopInstanceUid)) ?? undefined;
  }

  /**
   * The instance was received again under another Study Instance UID (the PACS moved it: a split or
   * a merge): it leaves this study, which is built again without it. Returns it if it was here.
   */
  async moveOut(studyUid: string, sopInstanceUid: string): Promise<TrackedInstance | undefined> {
    const held = await this.redis.hget(this.key(studyUid, 'instances'), sopInstanceUid);
    if (!held) return undefined;
    const multi = this.redis.multi();
    multi.hdel(this.key(studyUid, 'instances'), sopInstanceUid);
    multi.hdel(this.key(studyUid, 'findings'), sopInstanceUid);
    multi.hincrby(this.key(studyUid), 'movedOut', 1);
    multi.hset(this.key(studyUid), 'rejectionTitle', INCORRECT_WORKLIST_ENTRY);
    await multi.exec();
    return JSON.parse(held) as TrackedInstance;
  }

  async isRejected(studyUid: string, sopInstanceUid: string): Promise<boolean> {
    return (await this.redis.sismember(this.key(studyUid, 'rejected'), sopInstanceUid)) === 1;
  }

  async rejectedCount(studyUid: string): Promise<number> {
    return this.redis.scard(this.key(studyUid, 'rejected'));
  }

  /** Forgets the findings (so every image is analysed again) and starts a new generation. */
  async resetForRerun(studyUid: string): Promise<number> {
    const multi = this.redis.multi();
    multi.del(this.key(studyUid, 'findings'));
    multi.hset(this.key(studyUid), 'phase', 'receiving', 'lastError', '', 'rerunAt', String(Date.now()));
    multi.hincrby(this.key(studyUid), 'generation', 1);
    const result = await multi.exec();
    return Number(result?.[2]?.[1] ?? 0);
  }

  /** The study's objects are to be built again although its images and findings are unchanged. */
  async newGeneration(studyUid: string): Promise<void> {
    await this.redis.hincrby(this.key(studyUid), 'generation', 1);
  }

  /**
   * Sets the phase. A study entering an end phase (END_PHASES) is counted in mammocad_studies_total,
   * and one going from reporting to exported gives its turnaround: from its last image (or the
   * operator's rerun) to its results delivered (mammocad_study_turnaround_seconds).
   */
  async setPhase(studyUid: string, phase: StudyPhase, lastError?: string): Promise<void> {
    const key = this.key(studyUid);
    // Read in the same transaction as the write, so that a phase set again is not counted twice.
    const results = await this.redis.multi().hmget(key, 'phase', 'lastImageAt', 'rerunAt').hset(key, 'phase', phase, 'lastError', lastError ?? '').exec();
    const [previous, lastImageAt, rerunAt] = (results?.[0]?.[1] ?? []) as (string | null)[];
    if (previous === phase || !END_PHASES.includes(phase)) return;
    studiesTotal.inc({ phase });
    // Not after exportFailed: a late storage commitment result is no measure of speed.
    if (phase === 'exported' && (previous === 'reported' || previous === 'reporting') && lastImageAt)
      studyTurnaroundSeconds.observe((Date.now() - Math.max(Number(lastImageAt), Number(rerunAt ?? 0))) / 1000);
  }

  async recordReport(studyUid: string, fingerprint: string, outputs: Partial<Record<ReportObjectKind, string>>): Promise<void> {
    const multi = this.redis.multi();
    const entries = Object.entries(outputs);
    if (entries.length > 0) multi.hset(this.key(studyUid, 'outputs'), ...entries.flat());
    multi.hset(this.key(studyUid), 'reportedFingerprint', fingerprint, 'reportedAt', String(Date.now()), 'phase', 'reported', 'lastError', '');
    multi.hincrby(this.key(studyUid), 'reportCount', 1);
    await multi.exec();
  }

  async outputs(studyUid: string): Promise<Partial<Record<ReportObjectKind, string>>> {
    return (await this.redis.hgetall(this.key(studyUid, 'outputs'))) as Partial<Record<ReportObjectKind, string>>;
  }

  async recordExport(studyUid: string, record: ExportRecord): Promise<void> {
    await this.redis.hset(this.key(studyUid, 'exports'), `${record.object}|${record.destination}`, JSON.stringify(record));
  }

  async exports(studyUid: string): Promise<ExportRecord[]> {
    const all = await this.redis.hvals(this.key(studyUid, 'exports'));
    return all.map((v) => JSON.parse(v) as ExportRecord).sort((a, b) => `${a.destination}${a.object}`.localeCompare(`${b.destination}${b.object}`));
  }

  async recordCommitment(studyUid: string, record: CommitmentRecord): Promise<void> {
    await this.redis.hset(this.key(studyUid, 'commitments'), record.destination, JSON.stringify(record));
  }

  async commitments(studyUid: string): Promise<CommitmentRecord[]> {
    return (await this.redis.hvals(this.key(studyUid, 'commitments'))).map((v) => JSON.parse(v) as CommitmentRecord);
  }

  async saveCommitmentTransaction(transactionUid: string, transaction: CommitmentTransaction): Promise<void> {
    await this.redis.set(`${QUEUE_PREFIX}:commitment:${transactionUid}`, JSON.stringify(transaction), 'EX', COMMITMENT_TRANSACTION_SECONDS);
  }

  async commitmentTransaction(transactionUid: string): Promise<CommitmentTransaction | undefined> {
    const value = await this.redis.get(`${QUEUE_PREFIX}:commitment:${transactionUid}`);
    return value ? (JSON.parse(value) as CommitmentTransaction) : undefined;
  }

  /** Studies whose last image arrived before `ms` (epoch milliseconds), oldest first. */
  async studiesLastActiveBefore(ms: number): Promise<string[]> {
    return this.redis.zrangebyscore(`${QUEUE_PREFIX}:studies`, '-inf', `(${ms}`);
  }

  /** Removes everything the pipeline remembers of a study (retention: `mammocad prune`). */
  async forget(studyUid: string): Promise<void> {
    const sops = await this.redis.hkeys(this.key(studyUid, 'instances'));
    const multi = this.redis.multi();
    if (sops.length > 0) multi.hdel(INSTANCE_STUDY_KEY, ...sops);
    multi.del(...['', 'instances', 'findings', 'outputs', 'exports', 'commitments', 'rejected', 'lock'].map((part) => this.key(studyUid, part || undefined)));
    multi.zrem(`${QUEUE_PREFIX}:studies`, studyUid);
    await multi.exec();
  }

  /** Most recently active studies first. */
  async recentStudies(limit = 50): Promise<string[]> {
    return this.redis.zrevrange(`${QUEUE_PREFIX}:studies`, 0, limit - 1);
  }

  /**
   * Short-lived per-study lock so two workers never build the same study's objects at once; the
   * expiry frees it if the holder dies.
   */
  async tryLock(studyUid: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.key(studyUid, 'lock'), owner, 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** Extends the lock by `ttlMs` if `owner` still holds it; false when it does not (it lapsed). */
  async renewLock(studyUid: string, owner: string, ttlMs: number): Promise<boolean> {
    const renewed = await this.redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end",
      1,
      this.key(studyUid, 'lock'),
      owner,
      String(ttlMs),
    );
    return renewed === 1;
  }

  async unlock(studyUid: string, owner: string): Promise<void> {
    // Only the owner releases (compare-and-delete in one step).
    await this.redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
      1,
      this.key(studyUid, 'lock'),
      owner,
    );
  }
}
