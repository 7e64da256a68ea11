import { readyChecks } from '../metrics/metrics';
import { ReadinessCheck, runReadinessChecks } from './readinessCheck';

/**
 * Runs the readiness checks at a scrape and sets mammocad_ready{check}: Prometheus cannot call
 * /readyz itself, and an alert on "not ready for 5 minutes" needs the failing check's name.
 */
export async function refreshReadinessMetric(checks: ReadinessCheck[], timeoutMs?: number): Promise<void> {
  const report = await runReadinessChecks(checks, timeoutMs);
  for (const check of report.checks) readyChecks.set({ check: check.name }, check.ok ? 1 : 0);
}
