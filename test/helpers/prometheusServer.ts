import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from '../../src/redis/freePort';
import { spawnLogged, waitFor, waitForPort } from './childProcess';

export interface PrometheusServer {
  url: string;
  /** An instant query at now: Prometheus's status, its error if any, and the result vector. */
  query(expr: string): Promise<PrometheusQueryResult>;
  log(): string;
  stop(): Promise<void>;
}

export interface PrometheusQueryResult {
  status: string;
  error?: string;
  result: { metric: Record<string, string>; value: [number, string] }[];
}

/**
 * Debian's prometheus server on a free loopback port, scraping `targets` (host:port) every second as
 * job `mammocad` with the bearer token from a credentials file, and evaluating `ruleFiles` every second.
 */
export async function startPrometheus(opts: { targets: string[]; token: string; ruleFiles: string[] }): Promise<PrometheusServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-prometheus-'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'token'), `${opts.token}\n`);
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: opts.ruleFiles,
    scrape_configs: [
      {
        job_name: 'mammocad',
        authorization: { credentials_file: path.join(dir, 'token') },
        static_configs: [{ targets: opts.targets }],
      },
    ],
  };
  // JSON is YAML: no serializer needed.
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const server = spawnLogged(
    'prometheus',
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    path.join(dir, 'prometheus.log'),
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, server.exited, 30000);
    // The port opens before the storage is ready; until then queries answer 503.
    await waitFor('prometheus ready', async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), 30000, 200);
  } catch (err) {
    const log = server.log();
    await stop();
    throw new Error(`prometheus did not start: ${(err as Error).message}\n${log}`);
  }
  return {
    url,
    log: server.log,
    stop,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await res.json()) as { status: string; error?: string; data?: { result: PrometheusQueryResult['result'] } };
      return { status: body.status, ...(body.error ? { error: body.error } : {}), result: body.data?.result ?? [] };
    },
  };
}
