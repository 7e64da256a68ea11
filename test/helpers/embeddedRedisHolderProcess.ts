/**
 * A node's embedded Redis and nothing else, in a child process: holds MAMMOCAD_DATA_DIR the way
 * all-in-one does (same code), so a test can kill it hard and look at what it leaves behind.
 */
import { startOwnEmbeddedRedis } from '../../src/cli/roles/allInOne';
import { loadConfig } from '../../src/config/loadConfig';

startOwnEmbeddedRedis(loadConfig()).then(
  (redis) => {
    process.stdout.write(`holding ${redis.url}\n`);
    // Stopped gently, it leaves nothing running (kill -9 is what the tests use to leave an orphan).
    process.once('SIGTERM', () => void redis.stop().then(() => (redis.release(), process.exit(0))));
  },
  (e: Error) => {
    process.stderr.write(`holder: ${e.message}\n`);
    process.exit(1);
  },
);
