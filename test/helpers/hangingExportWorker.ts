// A child process whose export worker takes a job and never finishes it, so that the test can kill
// it mid-job (kill -9) as a crashed or OOM-killed worker would be.
import { JobQueue } from '../../src/queue/jobQueue';

const queue = new JobQueue(process.env.MAMMOCAD_REDIS_URL!, { attempts: 5, backoffMs: 100 });
const stallMs = Number(process.env.STALL_MS);
queue.process(
  {
    'export.store': async () => {
      process.stdout.write('took the job\n');
      await new Promise(() => undefined);
    },
  },
  {},
  { lockDuration: stallMs, stalledInterval: stallMs, maxStalledCount: 1 },
);
process.stdout.write('ready\n');
