import type { Config } from '../config/schema';
import { connectRedis } from '../redis/connection';
import { JobQueue } from '../queue/jobQueue';
import { spoolRoot } from '../store/spoolPaths';
import { getDetectionRuntime } from '../detect/detectionRuntime';
import { logger } from '../log/logger';
import { RunningHttpServer } from './httpServer';
import { startOperationsHttp } from './operationsHttp';
import { pipelineStudyStatusSource } from './pipelineStudyStatus';

export type RoleName = 'all-in-one' | 'receiver' | 'worker';

/**
 * The operations HTTP server as a role runs it, one call: readiness checks that fit the role (every
 * role: Redis and the spool; roles that analyse: the models), queue gauges and dashboard, and the
 * status page. Its own Redis connections, closed by close().
 */
export async function startRoleHttp(role: RoleName, config: Config, redisUrl: string): Promise<RunningHttpServer> {
  const queue = new JobQueue(redisUrl, { attempts: config.pipeline.attempts, backoffMs: config.pipeline.backoffMs });
  const redis = connectRedis(redisUrl);
  redis.on('error', () => undefined); // /readyz reports Redis trouble
  const models = role === 'receiver' ? undefined : trackModelLoading(config);
  const server = await startOperationsHttp({
    config,
    redisUrl,
    spoolDir: spoolRoot(config.dataDir),
    modelsLoaded: models,
    queueOf: (stage) => queue.queue(stage),
    studies: pipelineStudyStatusSource(redis),
  });
  return {
    ...server,
    async close() {
      await server.close();
      await queue.close();
      redis.disconnect();
    },
  };
}

/**
 * Loads the models now (the first image would otherwise pay for it) and answers whether they are
 * loaded; a failure (missing file, execution provider not available) is logged and retried on the
 * next readiness probe.
 */
function trackModelLoading(config: Config): () => Promise<boolean> {
  let loaded = false;
  let loading: Promise<void> | undefined;
  const startLoading = () => {
    loading ??= getDetectionRuntime(config).then(
      () => void (loaded = true),
      (err: Error) => {
        loading = undefined;
        logger.error('models could not be loaded', { modelDir: config.inference.modelDir, provider: config.inference.executionProvider, error: err.message });
      },
    );
  };
  startLoading();
  return async () => {
    if (!loaded) startLoading();
    return loaded;
  };
}
