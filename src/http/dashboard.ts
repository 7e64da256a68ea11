import { Router } from 'express';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';

export const DASHBOARD_PATH = '/queues';

/**
 * Read-only queue dashboard (bull-board) under /queues: every stage plus the dead letters.
 * Read-only twice over: bull-board's readOnlyMode hides and refuses the actions, and any request
 * other than GET/HEAD is answered 405 before it reaches bull-board (retrying or deleting jobs is an
 * operator command, not a web click).
 */
export function dashboardRoutes(queues: Queue[]): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true, allowRetries: false })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'mammocad queues', miscLinks: [{ text: 'Status', url: '/' }] } },
  });
  const router = Router();
  router.use(DASHBOARD_PATH, (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    res.status(405).set('Allow', 'GET, HEAD').json({ error: 'the queue dashboard is read-only' });
  });
  router.use(DASHBOARD_PATH, serverAdapter.getRouter());
  return router;
}
