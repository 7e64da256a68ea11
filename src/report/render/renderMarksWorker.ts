/**
 * Worker thread that renders thumbnails (renderMarks): decoding a whole mammogram takes 0.3-2 s
 * of CPU, which on the HTTP server's own thread would hold up everything else that process serves
 * (in all-in-one, the receiver's C-STOREs).
 */
import { parentPort } from 'node:worker_threads';
import { renderMarks } from './renderMarks';
import type { RenderReply, RenderRequest } from './renderMarksInWorker';

const port = parentPort;
if (!port) throw new Error('renderMarksWorker must run as a worker thread');
port.on('message', (r: RenderRequest) => {
  renderMarks(r.imagePath, r.marksPath, r.maxWidth).then(
    ({ png }) => {
      // A view of its own memory, so it can be moved rather than copied.
      const bytes = new Uint8Array(png.buffer, png.byteOffset, png.byteLength).slice();
      port.postMessage({ id: r.id, png: bytes } satisfies RenderReply, [bytes.buffer]);
    },
    (error: unknown) => port.postMessage({ id: r.id, error: (error as Error).message } satisfies RenderReply),
  );
});
