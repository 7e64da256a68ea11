import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { askRedis, pingRedis } from './connection';
import { logger } from '../log/logger';

export class DataDirInUseError extends Error {}

interface OwnerRecord {
  pid: number;
  host: string;
  /** The process's start time in clock ticks since boot (Linux): a reused pid has another. */
  processStart: string | null;
  since: string;
}

/** Data folders this process holds, so two all-in-one starts in one process are caught too. */
const heldHere = new Set<string>();

/**
 * One node at a time may run the embedded Redis of a data folder. Two redis-servers on one
 * append-only folder overwrite each other's files, and the second node's redis.url sends the
 * operator commands to the wrong one. The claim is a file, `redis/owner.json`, naming the process;
 * it is stale when that process is gone (or the pid now belongs to a process started later).
 * Throws DataDirInUseError naming the holder; returns the release, called at stop.
 */
export function claimEmbeddedRedisDir(redisDir: string): () => void {
  const dir = path.resolve(redisDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'owner.json');
  const holder = readOwner(file);
  if (heldHere.has(dir) || (holder && holder.pid !== process.pid && isAlive(holder))) {
    const who = holder && holder.pid !== process.pid ? `process ${holder.pid} on ${holder.host} (since ${holder.since})` : 'this process';
    const gone = holder && holder.host !== os.hostname() ? `; if that node is gone, delete ${file}` : '';
    throw new DataDirInUseError(
      `data folder ${path.dirname(dir)} is in use by another mammocad node, ${who}: stop it, or give this node its own MAMMOCAD_DATA_DIR${gone}`,
    );
  }
  const record: OwnerRecord = {
    pid: process.pid,
    host: os.hostname(),
    processStart: processStart(process.pid),
    since: new Date().toISOString(),
  };
  fs.writeFileSync(file, `${JSON.stringify(record)}\n`);
  heldHere.add(dir);
  return () => {
    heldHere.delete(dir);
    if (readOwner(file)?.pid === process.pid) fs.rmSync(file, { force: true });
  };
}

/**
 * A node killed hard (kill -9, the OOM killer) leaves its redis-server child running on the data
 * folder. Once the folder is claimed, a Redis still answering at redis.url and serving this folder is
 * such an orphan: it is shut down (SHUTDOWN writes its append-only file) before a new one starts, so
 * the data it holds is what the new one loads.
 */
export async function stopOrphanedRedis(urlFile: string, redisDir: string): Promise<void> {
  if (!fs.existsSync(urlFile)) return;
  const url = fs.readFileSync(urlFile, 'utf8').trim();
  // Whatever listens there now may not be a Redis, and may never answer.
  const dir = await askRedis(url, 3000, async (client) => ((await client.config('GET', 'dir')) as string[])[1]).catch(() => undefined);
  if (dir === undefined || path.resolve(dir) !== path.resolve(redisDir)) return; // nothing of ours answers there
  logger.warn('stopping the embedded redis an earlier node left running', { url });
  // The server closes the connection as it stops: no answer is the expected outcome.
  await askRedis(url, 3000, (client) => client.call('SHUTDOWN')).catch(() => undefined);
  await waitUntilGone(url);
}

async function waitUntilGone(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (!(await pingRedis(url, 500).then(() => true, () => false))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the embedded redis left running at ${url} did not stop within 10 s`);
}

function readOwner(file: string): OwnerRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as OwnerRecord;
  } catch {
    return undefined;
  }
}

/** A holder on another machine (a shared data folder) cannot be checked from here: it counts as alive. */
function isAlive(owner: OwnerRecord): boolean {
  if (owner.host !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = processStart(owner.pid);
  return start === null || owner.processStart === null || start === owner.processStart;
}

/** Field 22 of /proc/<pid>/stat; null where there is no /proc. */
function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
