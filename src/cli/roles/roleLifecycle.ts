import { auditApplicationActivity, startAuditTrail, stopAuditTrail } from '../../audit/auditTrail';
import { loadConfig } from '../../config/loadConfig';
import { Config } from '../../config/schema';
import { bridgeDicomLibraryLogging } from '../../log/dicomLibraryLogBridge';
import { logger, setLogLevel } from '../../log/logger';
import { ALGORITHM_IDENTITY } from '../../detect/algorithmIdentity';
import { warnOfCertificateEnds } from '../../metrics/certificateExpiry';
import { buildInfo } from '../../metrics/metrics';
import { startEventLoopWatchdog } from '../../runtime/eventLoopWatchdog';
import { packageVersion } from '../../runtime/packageVersion';

export interface RunningRole {
  stop(): Promise<void>;
}

/**
 * Loads the configuration, starts a role and keeps it until SIGTERM or SIGINT, then stops it
 * gracefully (a second signal exits at once). A signal during the start is held until the role has
 * started and then stops it: dying mid-start would leave the embedded redis-server running.
 */
export async function runRole(name: string, start: (config: Config) => Promise<RunningRole>): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.logLevel);
  bridgeDicomLibraryLogging();
  warnOfCertificateEnds(config.tls);
  startEventLoopWatchdog(config.eventLoopWatchdogSeconds, name);
  let role: RunningRole | undefined = undefined; // set once started; the signal handler reads it
  let stopping = false;
  const stop = (running: RunningRole) =>
    running.stop().then(
      async () => {
        logger.info('stopped', { role: name });
        auditApplicationActivity('stop');
        await stopAuditTrail();
        process.exit(0);
      },
      (e: Error) => {
        logger.error('stop failed', { role: name, error: e.message });
        process.exit(1);
      },
    );
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn('second signal, exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('stopping', { role: name, signal, ...(!role && { when: 'once started' }) });
    if (role) void stop(role);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  startAuditTrail(config, `mammocad ${name}`);
  if (config.audit.repository) logger.info('audit trail started', { repository: config.audit.repository });
  role = await start(config);
  buildInfo.set({ role: name, version: packageVersion, algorithm: `${ALGORITHM_IDENTITY.name} ${ALGORITHM_IDENTITY.version}` }, 1);
  logger.info('role started', { role: name });
  auditApplicationActivity('start');
  if (stopping) void stop(role);
}

/** The Redis URL a split role (receiver, worker) needs; only all-in-one may start its own Redis. */
export function requireRedisUrl(config: Config, role: string): string {
  if (!config.redisUrl)
    throw new Error(`the ${role} role needs a Redis URL: set MAMMOCAD_REDIS_URL (or use all-in-one)`);
  return config.redisUrl;
}
