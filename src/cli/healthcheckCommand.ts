import { Command } from 'commander';
import * as http from 'http';
import * as https from 'https';
import { loadConfig } from '../config/loadConfig';

const TIMEOUT_MS = 4000;

/**
 * `mammocad healthcheck`: the container's health check. Asks this machine's node for /healthz on the
 * configured port, over HTTPS when http.tls is on (the certificate is not checked: this is the
 * node's own liveness, on loopback). Exit 0 when it answers 200, else 1 with the reason.
 */
export function registerHealthcheckCommand(program: Command): void {
  program
    .command('healthcheck')
    .description("exit 0 if this machine's node answers /healthz (for Docker's HEALTHCHECK)")
    .action(async () => {
      const config = loadConfig();
      const client = config.http.tls ? https : http;
      const status = await new Promise<number | string>((resolve) => {
        const request = client.get(
          { host: '127.0.0.1', port: config.httpPort, path: '/healthz', timeout: TIMEOUT_MS, rejectUnauthorized: false },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 'no status');
          },
        );
        request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
        request.on('error', (e) => resolve(e.message));
      });
      if (status === 200) return;
      process.stderr.write(`healthcheck: ${config.http.tls ? 'https' : 'http'}://127.0.0.1:${config.httpPort}/healthz: ${typeof status === 'number' ? `HTTP ${status}` : status}\n`);
      process.exitCode = 1;
    });
}
