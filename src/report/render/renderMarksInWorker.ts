import type { Worker } from 'node:worker_threads';
import { startWorkerThread } from '../../runtime/workerThread';

export interface RenderRequest {
  id: number;
  imagePath: string;
  marksPath: string | undefined;
  maxWidth: number;
}

export type RenderReply = { id: number; png: Uint8Array } | { id: number; error: string };

interface Pending {
  resolve(png: Buffer): void;
  reject(error: Error): void;
}

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 1;

/**
 * renderMarks in a worker thread (renderMarksWorker.ts), started on the first call and kept. It is
 * unref'd, so it never keeps the process alive; if it dies, what it was rendering fails and the
 * next call starts a new one.
 */
export function renderMarksInWorker(
  imagePath: string,
  marksPath: string | undefined,
  maxWidth: number,
): Promise<{ png: Buffer }> {
  const thread = worker ?? startRenderer();
  const id = nextId++;
  return new Promise<Buffer>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    thread.postMessage({ id, imagePath, marksPath, maxWidth } satisfies RenderRequest);
  }).then((png) => ({ png }));
}

function startRenderer(): Worker {
  const started = startWorkerThread(__dirname, 'renderMarksWorker');
  started.unref();
  started.on('message', (reply: RenderReply) => {
    const request = pending.get(reply.id);
    if (!request) return;
    pending.delete(reply.id);
    if ('error' in reply) request.reject(new Error(reply.error));
    else request.resolve(Buffer.from(reply.png.buffer, reply.png.byteOffset, reply.png.byteLength));
  });
  const gone = (why: string) => {
    if (worker !== started) return;
    worker = undefined;
    for (const request of pending.values()) request.reject(new Error(`thumbnail renderer ${why}`));
    pending.clear();
  };
  started.on('error', (e) => gone(`crashed: ${e.message}`));
  started.on('exit', (code) => gone(`exited with code ${code}`));
  worker = started;
  return started;
}

/** Stops the renderer (with its server; tests): what it was rendering fails. */
export async function stopMarksRenderer(): Promise<void> {
  const running = worker;
  worker = undefined;
  for (const request of pending.values()) request.reject(new Error('thumbnail renderer stopped'));
  pending.clear();
  await running?.terminate();
}
