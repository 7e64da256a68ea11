/**
 * Every job the pipeline runs, with its payload. Payloads hold UIDs, paths and destination names
 * only — never patient data (they are visible in Redis and on the dashboard).
 */
export type ReportObjectKind = 'mammoCadSr' | 'tid1500Sr' | 'gsps';
/** What an export sends: one of the three objects, or our rejection note withdrawing them. */
export type ExportedObjectKind = ReportObjectKind | 'rejectionNote';

export interface JobPayloads {
  /** One received image: analyse it (the foundation only indexes it). */
  'instance.analyse': {
    studyUid: string;
    seriesUid: string;
    sopInstanceUid: string;
    sopClassUid: string;
    /** Spool path of the Part 10 file. */
    path: string;
    /** Calling AE that sent it (for reply-to-sender export). */
    callingAe?: string;
  };
  /** A received rejection note (IHE IOCM): take the instances it names out of their studies. */
  'rejection.apply': {
    /** The note's own study, SOP Instance UID and spool path. */
    studyUid: string;
    sopInstanceUid: string;
    path: string;
  };
  /** A study has settled (no new image for the settle window): build its reports. */
  'study.report': { studyUid: string };
  /** Send one produced object to one destination. */
  'export.store': {
    studyUid: string;
    object: ExportedObjectKind;
    path: string;
    /** AET@host:port */
    destination: string;
    /** Which build of the study's objects this is (a late image makes a new one). */
    fingerprint?: string;
  };
  /** Ask a destination to commit to storing the objects of a build it has received (Storage Commitment). */
  'export.commit': { studyUid: string; destination: string; fingerprint: string; round: number };
  /** Runs export.commitmentTimeoutHours after a commitment request: was its result received? */
  'export.commitmentTimeout': { studyUid: string; destination: string; transactionUid: string };
  /** A PACS's storage commitment result (N-EVENT-REPORT), by Transaction UID. */
  'export.commitmentResult': {
    transactionUid: string;
    committed: Array<{ sopClassUid: string; sopInstanceUid: string }>;
    failed: Array<{ sopClassUid: string; sopInstanceUid: string; reason: number }>;
  };
}

export type JobName = keyof JobPayloads;

/** Queue (stage) of each job name. One queue per stage keeps depths and ages readable per stage. */
export const QUEUE_OF_JOB: Record<JobName, StageName> = {
  'instance.analyse': 'instances',
  'study.report': 'reports',
  'rejection.apply': 'reports',
  'export.store': 'exports',
  'export.commit': 'exports',
  'export.commitmentResult': 'exports',
  'export.commitmentTimeout': 'exports',
};

export type StageName = 'instances' | 'reports' | 'exports';
export const STAGES: StageName[] = ['instances', 'reports', 'exports'];
export const DEAD_LETTER_QUEUE = 'dead-letters';

/** Queue names carry a prefix so several deployments can share one Redis. */
export const QUEUE_PREFIX = 'mammocad';

export interface DeadLetter {
  stage: StageName;
  jobName: JobName;
  jobId: string;
  payload: JobPayloads[JobName];
  reason: string;
  attemptsMade: number;
  failedAt: string;
}
