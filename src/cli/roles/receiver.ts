import { Command } from 'commander';
import { serveRoleHttp } from '../../http/roleHttp';
import { Config } from '../../config/schema';
import { DicomReceiver } from '../../dicom/receiver';
import { JobQueue } from '../../queue/jobQueue';
import { queueSettingsFrom } from '../../queue/retryPolicy';
import { connectRedis } from '../../redis/connection';
import { intakeInstance, InstancePayload } from '../../pipeline/instanceIntake';
import { StudyStateStore } from '../../pipeline/studyStateStore';
import { queueRejectionNote, RejectionNotePayload } from '../../rejection/queueRejectionNote';
import { queueCommitmentResult, type CommitmentResultPayload } from '../../commitment/queueCommitmentResult';
import { withTimeout } from '../../runtime/withTimeout';
import { scanSpool } from '../../store/spoolScan';
import { requeueOnRedisReconnect } from '../../store/spoolRequeueOnReconnect';
import { StudyIndex } from '../../store/studyIndex';
import { requireRedisUrl, runRole, RunningRole } from './roleLifecycle';

/** How long a C-STORE waits for the queue before it is refused (A700). */
const ENQUEUE_TIMEOUT_MS = 5000;

export interface ReceiverRole extends RunningRole {
  port: number;
  receiver: DicomReceiver;
  queue: JobQueue;
}

/**
 * The receiver role: the DICOM SCP, the start-up spool scan and the re-scan whenever Redis comes
 * back. Starts listening before the scan finishes: the scan only adds jobs, idempotently.
 */
export async function startReceiverRole(
  config: Config,
  redisUrl: string,
  opts: { host?: string; enqueueTimeoutMs?: number } = {},
): Promise<ReceiverRole> {
  const queue = new JobQueue(redisUrl, queueSettingsFrom(config));
  const redis = connectRedis(redisUrl);
  redis.on('error', () => undefined); // reported by the reconnect watcher and the queue
  const index = new StudyIndex(redis);
  const state = new StudyStateStore(redis);
  // Intake: record the arrival, queue its analysis, restart the study's settle window.
  const enqueue = (payload: InstancePayload, intake: { replaced?: boolean } = {}) =>
    withTimeout(
      intakeInstance(queue, state, config.pipeline.settleSeconds * 1000, payload, { ...intake, index }),
      opts.enqueueTimeoutMs ?? ENQUEUE_TIMEOUT_MS,
      'queuing the instance',
    );
  const enqueueRejectionNote = (payload: RejectionNotePayload) =>
    withTimeout(queueRejectionNote(queue, payload), opts.enqueueTimeoutMs ?? ENQUEUE_TIMEOUT_MS, 'queuing the rejection note');
  const scan = () =>
    scanSpool({
      dataDir: config.dataDir,
      queue,
      index,
      analysedSopClasses: config.receiver.analysedSopClasses,
      notAnalysed: config.receiver,
      enqueue,
      enqueueRejectionNote,
    });
  const enqueueCommitmentResult = (payload: CommitmentResultPayload) =>
    withTimeout(queueCommitmentResult(queue, payload), opts.enqueueTimeoutMs ?? ENQUEUE_TIMEOUT_MS, 'queuing the storage commitment result');
  const receiver = new DicomReceiver({ config, enqueue, enqueueRejectionNote, enqueueCommitmentResult, host: opts.host });
  let port: number;
  try {
    port = await receiver.start();
  } catch (e) {
    // Nothing may keep reconnecting (or the process alive) after a failed start.
    await queue.close();
    redis.disconnect();
    throw e;
  }
  const stopWatching = requeueOnRedisReconnect(redis, scan);
  const firstScan = scan().catch(() => undefined);
  return {
    port,
    receiver,
    queue,
    async stop() {
      stopWatching();
      await receiver.stop();
      await firstScan;
      await queue.close();
      redis.disconnect();
    },
  };
}

export function registerReceiverCommand(program: Command): void {
  program
    .command('receiver')
    .description('DICOM receiver only (C-STORE/C-ECHO SCP → spool → queue); needs MAMMOCAD_REDIS_URL')
    .action(() =>
      runRole('receiver', async (config) => {
        const redisUrl = requireRedisUrl(config, 'receiver');
        return serveRoleHttp('receiver', config, redisUrl, await startReceiverRole(config, redisUrl));
      }),
    );
}
