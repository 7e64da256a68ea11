/**
 * The receiver role as a child process for restart and kill tests, configured by the usual
 * MAMMOCAD_* environment. Same code path as `mammocad receiver`, without loading every other
 * command's modules. With MAMMOCAD_HTTP_PORT set it serves the role's HTTP endpoints (/metrics) as
 * `mammocad receiver` does.
 */
import { startReceiverRole } from '../../src/cli/roles/receiver';
import { requireRedisUrl, runRole } from '../../src/cli/roles/roleLifecycle';
import { serveRoleHttp } from '../../src/http/roleHttp';

runRole('receiver', async (config) => {
  const redisUrl = requireRedisUrl(config, 'receiver');
  const role = await startReceiverRole(config, redisUrl);
  return process.env.MAMMOCAD_HTTP_PORT ? serveRoleHttp('receiver', config, redisUrl, role) : role;
}).catch((e: Error) => {
  process.stderr.write(`receiver: ${e.message}\n`);
  process.exit(1);
});
