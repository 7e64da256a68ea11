import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One Prometheus registry for the process; every module increments the metric it owns here. */
export const registry = new Registry();
// prom-client's default names already start with process_ or nodejs_: mammocad_process_cpu_seconds_total.
collectDefaultMetrics({ register: registry, prefix: 'mammocad_' });

export const buildInfo = new Gauge({
  name: 'mammocad_build_info',
  help: "Always 1: this process's role (receiver, worker, all-in-one), software version and detection algorithm, for alerts per role and for following a model upgrade across machines",
  labelNames: ['role', 'version', 'algorithm'] as const,
  registers: [registry],
});

export const readyChecks = new Gauge({
  name: 'mammocad_ready',
  help: "1 when the readiness check (/readyz: redis, spool, models) passed at this scrape, 0 when it failed",
  labelNames: ['check'] as const,
  registers: [registry],
});

export const associationsTotal = new Counter({
  name: 'mammocad_associations_total',
  help: 'Associations by outcome (accepted, or the rejection reason)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const instancesReceivedTotal = new Counter({
  name: 'mammocad_instances_received_total',
  help: 'C-STORE requests by SOP class and outcome (stored, acknowledged, notAnalysed, duplicate, replaced, rejectionNote, previouslyRejected, refused, failed)',
  labelNames: ['sop_class', 'outcome'] as const,
  registers: [registry],
});

export const bytesReceivedTotal = new Counter({
  name: 'mammocad_bytes_received_total',
  help: 'Bytes of datasets written to the spool',
  registers: [registry],
});

export const analysisSeconds = new Histogram({
  name: 'mammocad_analysis_seconds',
  help: 'Analysis time per image (decode to findings), by outcome: analysed, failed (not analysable, or given up after every attempt), notAnalysed (left out by configuration: implant views)',
  labelNames: ['outcome'] as const,
  buckets: [0.25, 0.5, 1, 2, 4, 8, 16, 32],
  registers: [registry],
});

export const studiesTotal = new Counter({
  name: 'mammocad_studies_total',
  help: 'Times a study reached an end phase: exported (every object delivered), exportFailed, notReported (images of more than one patient), withdrawn (rejection notes)',
  labelNames: ['phase'] as const,
  registers: [registry],
});

export const studyTurnaroundSeconds = new Histogram({
  name: 'mammocad_study_turnaround_seconds',
  help: "From a study's last image (or an operator's rerun) to all its objects delivered: the settle window, analysis, report and export",
  buckets: [15, 30, 60, 120, 300, 600, 1800, 3600],
  registers: [registry],
});

export const exportsTotal = new Counter({
  name: 'mammocad_exports_total',
  help: 'Export attempts per destination and outcome (delivered, warning, failed)',
  labelNames: ['destination', 'outcome'] as const,
  registers: [registry],
});

export const storageCommitmentsTotal = new Counter({
  name: 'mammocad_storage_commitments_total',
  help: 'Storage commitment steps per destination: requested, committed, resending (objects not committed sent again), failed (given up, or no result in time)',
  labelNames: ['destination', 'outcome'] as const,
  registers: [registry],
});

export const auditMessagesTotal = new Counter({
  name: 'mammocad_audit_messages_total',
  help: 'Audit messages by outcome: sent (handed to the network), dropped (over 10 000 waiting, a UDP send error, or still waiting at stop)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const workerPausesTotal = new Counter({
  name: 'mammocad_worker_pauses_total',
  help: 'Times a worker paused a stage because Redis refused a command (OOM, MISCONF: a full disk, READONLY: a replica)',
  labelNames: ['stage'] as const,
  registers: [registry],
});

export const queueDepth = new Gauge({
  name: 'mammocad_queue_depth',
  help: 'Jobs per stage and state',
  labelNames: ['stage', 'state'] as const,
  registers: [registry],
});

export const queueOldestAgeSeconds = new Gauge({
  name: 'mammocad_queue_oldest_waiting_age_seconds',
  help: 'Age of the oldest waiting job per stage',
  labelNames: ['stage'] as const,
  registers: [registry],
});

export const deadLettersTotal = new Gauge({
  name: 'mammocad_dead_letters',
  help: 'Jobs in the dead-letter queue',
  registers: [registry],
});

export const tlsCertificateExpiry = new Gauge({
  name: 'mammocad_tls_certificate_expiry_timestamp_seconds',
  help: 'When the configured TLS certificate ends (Unix time): certFile, ours; caFile, the first of the trusted ones to end',
  labelNames: ['certificate'] as const,
  registers: [registry],
});

export const clockSkewSeconds = new Gauge({
  name: 'mammocad_clock_skew_seconds',
  help: "How far this process's clock is ahead of the Redis server's (negative: behind), checked hourly",
  registers: [registry],
});
