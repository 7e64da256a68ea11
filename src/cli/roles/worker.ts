import { Command } from 'commander';
import { serveRoleHttp } from '../../http/roleHttp';
import { Config } from '../../config/schema';
import { detectionAnalysis } from '../../pipeline/analysisAdapter';
import { reportWriter } from '../../pipeline/reportAdapter';
import type { PipelineContext } from '../../pipeline/pipelineContext';
import { startPipelineWorkers } from '../../pipeline/startPipelineWorkers';
import { StudyStateStore } from '../../pipeline/studyStateStore';
import { JobQueue } from '../../queue/jobQueue';
import { queueSettingsFrom } from '../../queue/retryPolicy';
import { connectRedis } from '../../redis/connection';
import { StudyIndex } from '../../store/studyIndex';
import { requireRedisUrl, runRole, RunningRole } from './roleLifecycle';
import { TransferSyntaxUid } from '../../dicom/transferSyntaxUid';
import { decoderFor, type Jpeg2000DecoderChoice } from '../../imaging/decode/decoderRegistry';
import { jpeg2000Decoder } from '../../imaging/decode/jpeg2000Decoder';
import { logger } from '../../log/logger';

/** The worker role: analysis per image, the study report and the exports, all from the shared queue. */
export async function startWorkerRole(
  config: Config,
  redisUrl: string,
  /** Stage engines to use instead of detection and src/report (tests, evaluation). */
  engines: Partial<Pick<PipelineContext, 'analysis' | 'writeReports'>> = {},
): Promise<RunningRole> {
  const queue = new JobQueue(redisUrl, queueSettingsFrom(config));
  const redis = connectRedis(redisUrl);
  redis.on('error', () => undefined); // the workers report connection trouble
  logJpeg2000Decoder(config.imaging.jpeg2000Decoder);
  startPipelineWorkers({
    config,
    queue,
    state: new StudyStateStore(redis),
    analysis: engines.analysis ?? detectionAnalysis(),
    writeReports: engines.writeReports ?? reportWriter,
    index: new StudyIndex(redis),
  });
  return {
    async stop() {
      await queue.close();
      redis.disconnect();
    },
  };
}

/** Which JPEG 2000 decoder this worker uses: on 2 cores the native one takes about half the time. */
function logJpeg2000Decoder(choice: Jpeg2000DecoderChoice): void {
  const decoder = decoderFor(TransferSyntaxUid.jpeg2000Lossless, choice);
  const slower = choice === 'auto' && decoder === jpeg2000Decoder;
  logger.info('JPEG 2000 decoder', { decoder: decoder?.name, ...(slower && { hint: 'install opj_decompress (Debian package libopenjp2-tools) for a faster decode' }) });
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('queue workers only; needs MAMMOCAD_REDIS_URL')
    .action(() =>
      runRole('worker', async (config) => {
        const redisUrl = requireRedisUrl(config, 'worker');
        return serveRoleHttp('worker', config, redisUrl, await startWorkerRole(config, redisUrl));
      }),
    );
}
