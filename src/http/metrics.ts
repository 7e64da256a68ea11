import { Router } from 'express';
import type { Registry } from 'prom-client';
import { logger } from '../log/logger';
import { withTimeout } from '../runtime/withTimeout';

/**
 * GET /metrics in the Prometheus text format. `beforeScrape` refreshes gauges that are read on demand
 * (readiness, queue depths); if it fails (Redis down), the scrape still answers with everything else and the
 * failure is logged, so the process metrics stay visible during an outage.
 */
export function metricsRoutes(registry: Registry, beforeScrape?: () => Promise<void>): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    if (beforeScrape) {
      try {
        // Past the readiness checks' own 3 s limit, so that their gauges are set even while a hung
        // Redis holds the queue gauges; within Prometheus's default 10 s scrape timeout.
        await withTimeout(beforeScrape(), 5000, 'refreshing the readiness and queue gauges');
      } catch (err) {
        logger.warn('metrics refresh failed', { error: (err as Error).message });
      }
    }
    res.set('Content-Type', registry.contentType).send(await registry.metrics());
  });
  return router;
}
