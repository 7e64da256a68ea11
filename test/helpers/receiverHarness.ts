import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Config, configSchema } from '../../src/config/schema';
import { DicomReceiver } from '../../src/dicom/receiver';
import { JobQueue } from '../../src/queue/jobQueue';
import { EmbeddedRedis, startEmbeddedRedis } from '../../src/redis/embeddedRedis';
import { enqueueInstance } from '../../src/store/instanceJobs';
import { queueRejectionNote } from '../../src/rejection/queueRejectionNote';
import { queueCommitmentResult } from '../../src/commitment/queueCommitmentResult';
import { withTimeout } from '../../src/runtime/withTimeout';

export interface TestReceiver {
  port: number;
  config: Config;
  redis: EmbeddedRedis;
  queue: JobQueue;
  receiver: DicomReceiver;
  stop(): Promise<void>;
}

/** A config for tests: temp dataDir, no disk minimum, fast retries. */
export function testConfig(overrides: Record<string, any> = {}): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-recv-'));
  const { receiver, ...rest } = overrides;
  return configSchema.parse({
    aeTitle: 'MAMMOCAD',
    dicomPort: 0,
    dataDir,
    receiver: { minFreeDiskMb: 0, shutdownGraceSeconds: 2, ...receiver },
    pipeline: { attempts: 2, backoffMs: 100 },
    ...rest,
  });
}

/** Receiver in this process, on a free port, with a private redis-server and a real JobQueue. */
export async function startTestReceiver(overrides: Record<string, any> = {}): Promise<TestReceiver> {
  const config = testConfig(overrides);
  const redis = await startEmbeddedRedis(path.join(config.dataDir, 'redis'));
  const queue = new JobQueue(redis.url, { attempts: 2, backoffMs: 100 });
  const receiver = new DicomReceiver({
    config,
    host: '127.0.0.1',
    enqueue: (payload) => withTimeout(enqueueInstance(queue, payload), 3000, 'queuing'),
    enqueueRejectionNote: (payload) => withTimeout(queueRejectionNote(queue, payload), 3000, 'queuing'),
    enqueueCommitmentResult: (payload) => withTimeout(queueCommitmentResult(queue, payload), 3000, 'queuing'),
  });
  const port = await receiver.start(0);
  return {
    port,
    config,
    redis,
    queue,
    receiver,
    async stop() {
      await receiver.stop(1000);
      await queue.close();
      await redis.stop();
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
