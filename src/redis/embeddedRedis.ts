import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { askRedis } from './connection';
import { freePort } from './freePort';
import { logger } from '../log/logger';

export class RedisBinaryMissingError extends Error {
  constructor() {
    super('redis-server not found on PATH: install the Debian package "redis-server" (apt-get install redis-server)');
  }
}

export interface EmbeddedRedis {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts redis-server as a child on a free loopback port with append-only persistence in `dir`,
 * and resolves once it answers PING. Used when no Redis URL is configured, and by the tests.
 */
export async function startEmbeddedRedis(dir: string, opts: { port?: number } = {}): Promise<EmbeddedRedis> {
  if (spawnSync('redis-server', ['--version']).error) throw new RedisBinaryMissingError();
  fs.mkdirSync(dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const args = [
    '--bind', '127.0.0.1',
    '--port', String(port),
    '--dir', path.resolve(dir),
    '--appendonly', 'yes',
    '--appendfsync', 'everysec',
    '--save', '',
    '--daemonize', 'no',
    '--protected-mode', 'yes',
    // BullMQ needs keys never evicted.
    '--maxmemory-policy', 'noeviction',
    '--logfile', '',
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let exited = false;
  child.on('exit', () => (exited = true));
  const url = `redis://127.0.0.1:${port}`;
  await waitForPing(url, child, () => exited);
  logger.info('embedded redis started', { port, dir });
  return { url, port, pid: child.pid!, stop: () => stopChild(child, () => exited) };
}

async function waitForPing(url: string, child: ChildProcess, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`redis-server exited during start-up (exit code ${child.exitCode})`);
    // While loading the append-only file redis answers LOADING; wait for that to finish. Each try is
    // bounded, so the 15 s deadline holds even when a try would wait on the ready check.
    const loaded = await askRedis(url, 2000, async (client) => (await client.ping()) === 'PONG' && /loading:0/.test(await client.info('persistence'))).catch(() => false);
    if (loaded) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not answer within 15 s');
}

function stopChild(child: ChildProcess, hasExited: () => boolean): Promise<void> {
  if (hasExited()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
