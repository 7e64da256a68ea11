import { Command } from 'commander';
import { Config } from '../../config/schema';
import { instanceReceivedHandler } from '../../pipeline/instanceReceived';
import { JobQueue } from '../../queue/jobQueue';
import { connectRedis } from '../../redis/connection';
import { StudyIndex } from '../../store/studyIndex';
import { requireRedisUrl, runRole, RunningRole } from './roleLifecycle';

/** The worker role: runs the queue handlers (for now: index each received instance). */
export async function startWorkerRole(config: Config, redisUrl: string): Promise<RunningRole> {
  const queue = new JobQueue(redisUrl, {
    attempts: config.pipeline.attempts,
    backoffMs: config.pipeline.backoffMs,
  });
  const redis = connectRedis(redisUrl);
  redis.on('error', () => undefined); // the workers report connection trouble
  queue.process(
    { 'instance.analyse': instanceReceivedHandler(new StudyIndex(redis)) },
    { instances: config.worker.concurrency },
  );
  return {
    async stop() {
      await queue.close();
      redis.disconnect();
    },
  };
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('queue workers only; needs MAMMOCAD_REDIS_URL')
    .action(() => runRole('worker', (config) => startWorkerRole(config, requireRedisUrl(config, 'worker'))));
}
