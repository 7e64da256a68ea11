import * as fs from 'fs';
import * as path from 'path';
import Redis from 'ioredis';
import { startAuditTrail, stopAuditTrail } from '../audit/auditTrail';
import type { Config } from '../config/schema';
import { loadConfig } from '../config/loadConfig';
import { JobQueue } from '../queue/jobQueue';
import { queueSettingsFrom } from '../queue/retryPolicy';
import { StudyStateStore } from '../pipeline/studyStateStore';
import { StudyIndex } from '../store/studyIndex';
import { DISCONNECT_TIMEOUT_MS } from '../redis/connection';

/** Where an all-in-one node with an embedded redis-server writes that server's URL. */
export function embeddedRedisUrlFile(config: Config): string {
  return path.join(config.dataDir, 'redis.url');
}

/** The Redis the node uses: config.redisUrl, else the URL an all-in-one node left in its data dir. */
export function redisUrlForOperator(config: Config): string {
  if (config.redisUrl) return config.redisUrl;
  const file = embeddedRedisUrlFile(config);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  throw new Error(`no Redis configured: set MAMMOCAD_REDIS_URL (or run where the node's data dir ${config.dataDir} holds redis.url)`);
}

/** A short connection to the node's Redis for one operator command. */
export interface OperatorSession {
  config: Config;
  queue: JobQueue;
  state: StudyStateStore;
  index: StudyIndex;
  close(): Promise<void>;
}

export async function openOperatorSession(): Promise<OperatorSession> {
  const config = loadConfig();
  const url = redisUrlForOperator(config);
  // Fail fast when Redis is unreachable instead of retrying forever like the workers do.
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    // A Redis that accepts the connection but never answers (stopped, overloaded) must not hang the command.
    commandTimeout: 10_000,
    retryStrategy: (n) => (n > 2 ? null : 200),
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
  });
  let connectionError: Error | undefined;
  redis.on('error', (err: Error) => (connectionError = err));
  await redis.ping().catch((err: Error) => {
    redis.disconnect();
    // ioredis reports "max retries per request"; the connection's own error says why.
    throw new Error(`cannot reach Redis at ${url}: ${(connectionError ?? err).message}`);
  });
  const queue = new JobQueue(url, queueSettingsFrom(config));
  // What an operator command deletes (prune) is audited like what the node deletes itself.
  startAuditTrail(config, 'mammocad operator command');
  return {
    config,
    queue,
    state: new StudyStateStore(redis),
    index: new StudyIndex(redis),
    close: async () => {
      await queue.close();
      redis.disconnect();
      await stopAuditTrail();
    },
  };
}

/** Runs an operator command with a session, always closing it. */
export async function withOperatorSession<T>(run: (s: OperatorSession) => Promise<T>): Promise<T> {
  const session = await openOperatorSession();
  try {
    return await run(session);
  } finally {
    await session.close();
  }
}
