import type { Config } from '../config/schema';
import { logger } from '../log/logger';
import { createHttpServer, listenHttp, RunningHttpServer } from './httpServer';
import { HttpUsers } from './httpUsers';
import { QueueOf } from './queueMetrics';
import { ReadinessCheck } from './readinessCheck';
import { modelsLoadedCheck, redisReachableCheck, spoolWritableCheck } from './readinessChecks';
import { StudyStatusSource } from './studyStatus';

/** What a role (all-in-one, receiver, worker) knows at start-up and passes to the HTTP server. */
export interface OperationsHttpOptions {
  config: Config;
  /** The Redis URL in use (the embedded one in all-in-one, which config.redisUrl leaves empty). */
  redisUrl: string;
  /** The spool directory; checked for writability and the disk floor (receiver.minFreeDiskMb). */
  spoolDir?: string;
  /** Workers: true once the ONNX models are loaded. Absent: the role has no models to wait for. */
  modelsLoaded?: () => boolean | Promise<boolean>;
  queueOf?: QueueOf;
  studies?: StudyStatusSource;
  /** Extra role-specific checks (e.g. the DICOM listener is bound). */
  extraChecks?: ReadinessCheck[];
  host?: string;
}

/** The one start function roles call: standard readiness checks from the config, then listen on httpPort. */
export async function startOperationsHttp(opts: OperationsHttpOptions): Promise<RunningHttpServer> {
  const checks: ReadinessCheck[] = [redisReachableCheck(opts.redisUrl)];
  if (opts.modelsLoaded) checks.push(modelsLoadedCheck(opts.modelsLoaded));
  if (opts.spoolDir) checks.push(spoolWritableCheck(opts.spoolDir, opts.config.receiver.minFreeDiskMb));
  checks.push(...(opts.extraChecks ?? []));
  const { token, usersFile } = opts.config.http;
  // An unreadable or malformed users file stops the start with the reason.
  const users = usersFile ? new HttpUsers(usersFile) : undefined;
  const app = createHttpServer({
    readinessChecks: checks,
    token,
    users,
    tls: opts.config.tls,
    queueOf: opts.queueOf,
    studies: opts.studies,
  });
  const running = await listenHttp(app, opts.config.httpPort, opts.host, opts.config.http.tls ? opts.config.tls : undefined);
  const auth = [token && 'token', users && 'users'].filter(Boolean).join(' and ') || 'none';
  logger.info('http listening', { port: running.port, auth, tls: opts.config.http.tls });
  return running;
}
