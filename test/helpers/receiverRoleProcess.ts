/**
 * The receiver role as a child process for restart and kill tests, configured by the usual
 * MAMMOCAD_* environment. Same code path as `mammocad receiver`, without loading every other
 * command's modules.
 */
import { startReceiverRole } from '../../src/cli/roles/receiver';
import { requireRedisUrl, runRole } from '../../src/cli/roles/roleLifecycle';

runRole('receiver', (config) => startReceiverRole(config, requireRedisUrl(config, 'receiver'))).catch(
  (e: Error) => {
    process.stderr.write(`receiver: ${e.message}\n`);
    process.exit(1);
  },
);
