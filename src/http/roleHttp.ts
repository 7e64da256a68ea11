import type { Config } from '../config/schema';
import { watchClockSkew } from '../redis/clockSkew';
import { connectRedis } from '../redis/connection';
import { JobQueue } from '../queue/jobQueue';
import { queueSettingsFrom } from '../queue/retryPolicy';
import { spoolRoot } from '../store/spoolPaths';
import { logger } from '../log/logger';
import { RunningHttpServer } from './httpServer';
import { startOperationsHttp } from './operationsHttp';
import { pipelineStudyStatusSource } from './pipelineStudyStatus';

const MODEL_RETRY_MS = 30_000;

export type RoleName = 'all-in-one' | 'receiver' | 'worker';

/**
 * The operations HTTP server as a role runs it, one call: readiness checks that fit the role (every
 * role: Redis and the spool; roles that analyse: the models), queue gauges and dashboard, and the
 * status page. Its own Redis connections, closed by close().
 */
export async function startRoleHttp(role: RoleName, config: Config, redisUrl: string): Promise<RunningHttpServer> {
  const queue = new JobQueue(redisUrl, queueSettingsFrom(config));
  const redis = connectRedis(redisUrl);
  redis.on('error', () => undefined); // /readyz reports Redis trouble
  // Once per process, beside its metrics: a clock off from Redis's skews settle windows and delays.
  const stopClockWatch = watchClockSkew(redis);
  const models = role === 'receiver' ? undefined : trackModelLoading(config);
  // Thumbnails are the image itself (patient data): only behind a token or named users, and never on
  // a receiver, whose CPU is for C-STOREs. They render in a worker thread, stopped with the server.
  const thumbnails = Boolean(config.http.token || config.http.usersFile) && role !== 'receiver';
  const release = async () => {
    stopClockWatch();
    await queue.close();
    redis.disconnect();
    if (thumbnails) await (await import('../report/render/renderMarksInWorker')).stopMarksRenderer();
  };
  let server: RunningHttpServer;
  try {
    server = await startOperationsHttp({
      config,
      redisUrl,
      spoolDir: spoolRoot(config.dataDir),
      modelsLoaded: models,
      queueOf: (stage) => queue.queue(stage),
      studies: pipelineStudyStatusSource(
        redis,
        thumbnails ? undefined : { off: role === 'receiver' ? 'no thumbnails on a receiver' : 'thumbnails need http.token or http.usersFile' },
      ),
    });
  } catch (err) {
    await release();
    throw err;
  }
  return {
    ...server,
    async close() {
      await server.close();
      await release();
    },
  };
}

/**
 * Loads the models now (the first image would otherwise pay for it) and answers whether they are
 * loaded; a failure (missing file, execution provider not available) is logged and retried on a later readiness
 * probe (at most every 30 s).
 */
function trackModelLoading(config: Config): () => Promise<boolean> {
  let loaded = false;
  let loading: Promise<void> | undefined;
  let lastAttempt = 0;
  let lastError: string | undefined;
  const startLoading = () => {
    // At most one attempt per RETRY_MS, however often the probes come.
    if (loading || Date.now() - lastAttempt < MODEL_RETRY_MS) return;
    lastAttempt = Date.now();
    // Imported here, so a receiver never loads onnxruntime.
    loading = import('../detect/detectionRuntime').then((m) => m.getDetectionRuntime(config)).then(
      () => void (loaded = true),
      (err: Error) => {
        loading = undefined;
        lastError = err.message;
        logger.error('models could not be loaded', { modelDir: config.inference.modelDir, provider: config.inference.executionProvider, error: err.message });
      },
    );
  };
  startLoading();
  return async () => {
    if (!loaded) startLoading();
    // Thrown, so /readyz shows the reason (e.g. the CUDA provider is missing) rather than "not loaded".
    if (!loaded && lastError) throw new Error(`models could not be loaded: ${lastError}`);
    return loaded;
  };
}

/**
 * Wraps a started role so it serves HTTP too, and stops both (the role first, so /healthz answers
 * while it drains). If the HTTP port cannot be bound the role is stopped and the error names the port.
 */
export async function serveRoleHttp<R extends { stop(): Promise<void> }>(
  role: RoleName,
  config: Config,
  redisUrl: string,
  running: R,
): Promise<R> {
  let http: RunningHttpServer;
  try {
    http = await startRoleHttp(role, config, redisUrl);
  } catch (err) {
    await running.stop();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new Error(`HTTP port ${config.httpPort} is in use: set MAMMOCAD_HTTP_PORT (0: any free port)`);
    throw err;
  }
  return {
    ...running,
    async stop() {
      await running.stop();
      await http.close();
    },
  };
}
