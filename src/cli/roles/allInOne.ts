import * as fs from 'fs';
import * as path from 'path';
import { embeddedRedisUrlFile } from '../operatorSession';
import { Command } from 'commander';
import { serveRoleHttp } from '../../http/roleHttp';
import { Config } from '../../config/schema';
import { EmbeddedRedis, startEmbeddedRedis } from '../../redis/embeddedRedis';
import { claimEmbeddedRedisDir, stopOrphanedRedis } from '../../redis/embeddedRedisOwner';
import { startReceiverRole } from './receiver';
import { runRole, RunningRole } from './roleLifecycle';
import { startWorkerRole } from './worker';

/**
 * Everything in one process: a redis-server child under dataDir when no Redis URL is configured,
 * the workers, the receiver and its start-up spool scan. Stops in reverse: the receiver drains
 * first (no new images), then the workers, then Redis.
 */
export async function startAllInOne(config: Config): Promise<RunningRole & { port: number; redisUrl: string }> {
  const embedded = config.redisUrl ? undefined : await startOwnEmbeddedRedis(config);
  const redisUrl = config.redisUrl || embedded!.url;
  const stopEmbedded = async () => {
    await embedded?.stop();
    embedded?.release();
  };
  let worker: RunningRole | undefined;
  let receiver;
  try {
    worker = await startWorkerRole(config, redisUrl);
    receiver = await startReceiverRole(config, redisUrl);
  } catch (e) {
    // Leave nothing behind: a redis-server left running would share its data folder with the next start's.
    await worker?.stop();
    await stopEmbedded();
    throw e;
  }
  return {
    port: receiver.port,
    redisUrl,
    async stop() {
      await receiver.stop();
      await worker!.stop();
      await stopEmbedded();
    },
  };
}

/**
 * The data folder's own redis-server, once this node holds the folder (no other live node does) and
 * any redis-server an earlier, killed node left running there has written its data and stopped.
 */
export async function startOwnEmbeddedRedis(config: Config): Promise<EmbeddedRedis & { release(): void }> {
  const dir = path.join(config.dataDir, 'redis');
  const release = claimEmbeddedRedisDir(dir);
  try {
    await stopOrphanedRedis(embeddedRedisUrlFile(config), dir);
    const embedded = await startEmbeddedRedis(dir);
    // Operator commands (mammocad study, dead-letters, ...) find the embedded Redis here.
    fs.writeFileSync(embeddedRedisUrlFile(config), `${embedded.url}\n`);
    return { ...embedded, release };
  } catch (e) {
    release();
    throw e;
  }
}

export function registerAllInOneCommand(program: Command): void {
  program
    .command('all-in-one')
    .description('receiver, workers and (without MAMMOCAD_REDIS_URL) a local redis-server')
    .action(() =>
      runRole('all-in-one', async (config) => {
        const role = await startAllInOne(config);
        return serveRoleHttp('all-in-one', config, role.redisUrl, role);
      }),
    );
}
