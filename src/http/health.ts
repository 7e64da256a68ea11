import { Router } from 'express';
import { ReadinessCheck, runReadinessChecks } from './readinessCheck';

/**
 * /healthz: the process is alive and its event loop answers (no dependency checks, no auth, so an
 * orchestrator never restarts a node because Redis is down).
 * /readyz: every readiness check passes; otherwise 503 with the failing checks named.
 */
export function healthRoutes(checks: ReadinessCheck[], checkTimeoutMs?: number): { public: Router; protected: Router } {
  const publicRoutes = Router();
  publicRoutes.get('/healthz', (_req, res) => {
    res.json({ status: 'alive', uptimeSeconds: Math.round(process.uptime()) });
  });
  const protectedRoutes = Router();
  protectedRoutes.get('/readyz', async (_req, res) => {
    const report = await runReadinessChecks(checks, checkTimeoutMs);
    res.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ready' : 'not ready', ...report });
  });
  return { public: publicRoutes, protected: protectedRoutes };
}
