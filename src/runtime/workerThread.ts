import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts `<dir>/<name>` as a worker thread: the compiled .js in production, the TypeScript source
 * (with tsx loaded first) under tsx or jest, where this file itself is a .ts.
 */
export function startWorkerThread(dir: string, name: string, workerData?: unknown): Worker {
  const fromSource = __filename.endsWith('.ts');
  const file = path.join(dir, `${name}${fromSource ? '.ts' : '.js'}`);
  const execArgv = fromSource ? ['--require', require.resolve('tsx/cjs')] : [];
  return new Worker(file, { workerData, execArgv });
}
