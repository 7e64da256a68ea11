import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { StudyPhase, StudyStateStore, StudySummary } from '../../src/pipeline/studyStateStore';
import { startEmbeddedRedis, EmbeddedRedis } from '../../src/redis/embeddedRedis';
import { freePort } from '../../src/redis/freePort';
import { ChildNode } from './childNode';
import { runTool, storeStatuses } from './dcmtkTools';
import { startStoreScp, StoreScp } from './storescp';

/**
 * What the process-level pipeline tests share: a data folder, a private Redis, storescp as the PACS,
 * the environment for receiver and worker child processes on them, and storescu as the sender. The
 * test starts the nodes it needs (`nodes` are killed by stop()).
 */
export interface ChildPipeline {
  dataDir: string;
  redis: EmbeddedRedis;
  client: Redis;
  state: StudyStateStore;
  scp: StoreScp;
  dicomPort: number;
  env: Record<string, string>;
  nodes: ChildNode[];
  /** storescu to the node; expects every file answered Success. */
  send(files: string[]): Promise<void>;
  /** For waitFor: the study's summary once it is in `phase` after `builds` builds. */
  phaseAfterBuilds(studyUid: string, phase: StudyPhase, builds: number): () => Promise<StudySummary | undefined>;
  stop(): Promise<void>;
}

export async function startChildPipeline(name: string, env: Record<string, string> = {}): Promise<ChildPipeline> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `mc-${name}-`));
  const redis = await startEmbeddedRedis(path.join(dataDir, 'redis'));
  const client = new Redis(redis.url, { maxRetriesPerRequest: null });
  client.on('error', () => undefined); // tests restart Redis under it
  const scp = await startStoreScp({ aeTitle: 'PACS' });
  const dicomPort = await freePort();
  const nodes: ChildNode[] = [];
  const pipeline: ChildPipeline = {
    dataDir,
    redis,
    client,
    state: new StudyStateStore(client),
    scp,
    dicomPort,
    nodes,
    env: {
      MAMMOCAD_DATA_DIR: dataDir,
      MAMMOCAD_REDIS_URL: redis.url,
      MAMMOCAD_DICOM_PORT: String(dicomPort),
      MAMMOCAD_DESTINATIONS: scp.destination,
      MAMMOCAD_SETTLE_SECONDS: '1',
      MAMMOCAD_TEST_ANALYSIS_MS: '100',
      ...env,
    },
    async send(files) {
      const run = await runTool('storescu', ['-v', '-aec', 'MAMMOCAD', '127.0.0.1', String(dicomPort), ...files]);
      expect(storeStatuses(run.output)).toEqual(files.map(() => 'Success'));
    },
    phaseAfterBuilds: (studyUid, phase, builds) => async () => {
      const summary = await pipeline.state.summary(studyUid);
      return summary?.reportCount === builds && summary.phase === phase ? summary : undefined;
    },
    async stop() {
      for (const n of nodes.splice(0)) await n.kill();
      pipeline.client.disconnect();
      await pipeline.redis.stop(); // the one running now: a test may have restarted it
      await pipeline.scp.stop(); // the one running now: a test may have brought the PACS back
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return pipeline;
}
