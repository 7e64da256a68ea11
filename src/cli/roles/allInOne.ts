import * as fs from 'fs';
import * as path from 'path';
import { embeddedRedisUrlFile } from '../operatorSession';
import { Command } from 'commander';
import { serveRoleHttp } from '../../http/roleHttp';
import { Config } from '../../config/schema';
import { EmbeddedRedis, startEmbeddedRedis } from '../../redis/embeddedRedis';
import { startReceiverRole } from './receiver';
import { runRole, RunningRole } from './roleLifecycle';
import { startWorkerRole } from './worker';

/**
 * Everything in one process: a redis-server child under dataDir when no Redis URL is configured,
 * the workers, the receiver and its start-up spool scan. Stops in reverse: the receiver drains
 * first (no new images), then the workers, then Redis.
 */
export async function startAllInOne(config: Config): Promise<RunningRole & { port: number; redisUrl: string }> {
  let embedded: EmbeddedRedis | undefined;
  const redisUrl =
    config.redisUrl || (embedded = await startEmbeddedRedis(path.join(config.dataDir, 'redis'))).url;
  // Operator commands (mammocad study, dead-letters, ...) find the embedded Redis here.
  if (embedded) fs.writeFileSync(embeddedRedisUrlFile(config), `${redisUrl}\n`);
  const worker = await startWorkerRole(config, redisUrl);
  let receiver;
  try {
    receiver = await startReceiverRole(config, redisUrl);
  } catch (e) {
    // Leave nothing behind: a redis-server left running would share its data folder with the next start's.
    await worker.stop();
    await embedded?.stop();
    throw e;
  }
  return {
    port: receiver.port,
    redisUrl,
    async stop() {
      await receiver.stop();
      await worker.stop();
      await embedded?.stop();
    },
  };
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
