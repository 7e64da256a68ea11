import * as http from 'http';
import * as https from 'https';
import { AddressInfo } from 'net';
import express, { Express } from 'express';
import type { Registry } from 'prom-client';
import type { Config } from '../config/schema';
import { refreshCertificateMetric } from '../metrics/certificateExpiry';
import { registry as defaultRegistry } from '../metrics/metrics';
import { DEAD_LETTER_QUEUE, STAGES } from '../queue/jobTypes';
import { tokenAuth } from './auth';
import type { HttpUsers } from './httpUsers';
import { healthRoutes } from './health';
import { metricsRoutes } from './metrics';
import { dashboardRoutes } from './dashboard';
import { statusPageRoutes } from './statusPage';
import { QueueOf, refreshQueueMetrics } from './queueMetrics';
import { ReadinessCheck } from './readinessCheck';
import { refreshReadinessMetric } from './readinessMetric';
import { StudyStatusSource } from './studyStatus';
import { logger } from '../log/logger';
import { TlsCertificateReload } from '../tls/tlsCertificateReload';
import { tlsServerOptionsFromConfig } from '../tls/tlsOptions';

/** What a role hands the HTTP server; every part is optional except the readiness checks. */
export interface HttpServerDeps {
  /** Run by /readyz; a role registers only the checks that apply to it. */
  readinessChecks: ReadinessCheck[];
  /** config http.token; empty or absent (and no users): no auth. */
  token?: string;
  /** Named users from http.usersFile. */
  users?: HttpUsers;
  /** Queues by stage (JobQueue.queue); enables the queue gauges on /metrics and the /queues dashboard. */
  queueOf?: QueueOf;
  /** Enables the study list on /; without it / shows only the links. */
  studies?: StudyStatusSource;
  registry?: Registry;
  /** Per-check time limit of /readyz, ms. */
  readinessTimeoutMs?: number;
  /** config.tls: its certificates' end dates on /metrics. */
  tls?: Config['tls'];
}

/**
 * The operations HTTP app, one port for everything: /healthz (no auth), then behind the optional
 * token: /readyz, /metrics, /queues (read-only dashboard) and / (status page).
 */
export function createHttpServer(deps: HttpServerDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  const health = healthRoutes(deps.readinessChecks, deps.readinessTimeoutMs);
  app.use(health.public);
  app.use(tokenAuth(deps.token ?? '', deps.users));
  app.use(health.protected);
  const queueOf = deps.queueOf;
  const beforeScrape = async () => {
    if (deps.tls) refreshCertificateMetric(deps.tls);
    await Promise.all([refreshReadinessMetric(deps.readinessChecks, deps.readinessTimeoutMs), queueOf && refreshQueueMetrics(queueOf)]);
  };
  app.use(metricsRoutes(deps.registry ?? defaultRegistry, beforeScrape));
  if (queueOf) app.use(dashboardRoutes([...STAGES.map((s) => queueOf(s)), queueOf(DEAD_LETTER_QUEUE)]));
  app.use(statusPageRoutes(deps.studies ?? { recentStudies: async () => [] }));
  // Express's default error page prints the stack trace; answer a short JSON and log the detail.
  app.use((err: Error, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    logger.warn('http request failed', { path: req.path, error: err.message });
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  });
  return app;
}

export interface RunningHttpServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * Listens on `port` (0: any free port) and resolves once the port is bound. With `tls` (config.tls,
 * when http.tls is on) it serves HTTPS with the node's certificate and takes renewed files.
 */
export function listenHttp(app: Express, port: number, host = '0.0.0.0', tls?: Config['tls']): Promise<RunningHttpServer> {
  return new Promise((resolve, reject) => {
    let server: http.Server;
    let reload: TlsCertificateReload | undefined;
    try {
      if (tls) {
        const { key, cert } = tlsServerOptionsFromConfig(tls, 'http.tls');
        const secure = https.createServer({ key, cert, minVersion: 'TLSv1.2' }, app);
        reload = new TlsCertificateReload(secure, tls, 'HTTPS server');
        server = secure;
      } else server = http.createServer(app);
    } catch (err) {
      reject(err);
      return;
    }
    const onError = (err: Error) => {
      // A server that never listened still holds its connection-checking timer until closed.
      server.close();
      reject(err);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      reload?.start();
      const bound = (server.address() as AddressInfo).port;
      const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      resolve({
        port: bound,
        url: `${tls ? 'https' : 'http'}://${shownHost}:${bound}`,
        close: () =>
          new Promise<void>((done) => {
            reload?.stop();
            server.close(() => done());
            // Keep-alive connections (browsers, Prometheus) would otherwise hold close() open.
            server.closeAllConnections();
          }),
      });
    });
  });
}
