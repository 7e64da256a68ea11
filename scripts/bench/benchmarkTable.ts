/**
 * Turns the JSON each benchmark writes (--json) into rows of one Markdown table: each figure, the
 * peer it is compared with, and the ratio. Ratios are oriented so that above 1 means mammocad does
 * better than the peer (faster, or under its target).
 *
 * A benchmark may state its rows itself, which is the preferred form for new benchmarks:
 *   { "figures": [ { "name": "...", "value": 12.3, "unit": "images/s",
 *                    "peer": { "name": "storescp", "value": 15.1 }, "higherIsBetter": true } ] }
 * The ingest and inference benchmarks' own formats are read as they are.
 */
export const BENCHMARKS = ['ingest', 'imaging', 'infer', 'e2e'] as const;
export type BenchmarkName = (typeof BENCHMARKS)[number];

export const BENCHMARK_TITLES: Record<BenchmarkName, string> = {
  ingest: 'Ingest (C-STORE to durable spool)',
  imaging: 'Imaging (decode and prepare)',
  infer: 'Inference (detect and classify one image)',
  e2e: 'End to end (study sent to objects back)',
};

export interface BenchmarkFigure {
  name: string;
  value: number;
  unit: string;
  peer?: { name: string; value: number };
  /** Default true for rates, false for times: decides which way the ratio points. */
  higherIsBetter?: boolean;
  /** Circumstances that matter for reading the figure (e.g. the load average during the run). */
  note?: string;
}

export type BenchmarkOutcome =
  | { name: BenchmarkName; status: 'ok'; figures: BenchmarkFigure[]; seconds?: number }
  | { name: BenchmarkName; status: 'not available'; reason: string };

/** Units of a time or an amount of memory (the whole unit string, not a part of 'MB/s'). */
const LOWER_IS_BETTER_UNITS = /^(ms|s|seconds|min|KB|MB|GB)$/;

/** Peer ratio, above 1 when mammocad is better. */
export function peerRatio(f: BenchmarkFigure): number | undefined {
  if (!f.peer || !(f.peer.value > 0) || !(f.value > 0)) return undefined;
  // The whole unit: a time or a size is lower-is-better, a rate ('images/s', 'MB/s') is not.
  const higher = f.higherIsBetter ?? !LOWER_IS_BETTER_UNITS.test(f.unit.trim());
  return higher ? f.value / f.peer.value : f.peer.value / f.value;
}

/** The figures of one benchmark's JSON, in its own format or the generic one. */
export function figuresOf(name: BenchmarkName, json: any): BenchmarkFigure[] {
  if (Array.isArray(json?.figures)) return json.figures as BenchmarkFigure[];
  if (name === 'ingest' && json?.mammocad && json?.storescp) {
    return [
      {
        name: `images received (${json.images}×${json.rounds} rounds, ${json.mammocadRole ?? 'receiver'})`,
        value: json.mammocad.imagesPerSecond,
        unit: 'images/s',
        peer: { name: 'storescp (dcmtk)', value: json.storescp.imagesPerSecond },
        higherIsBetter: true,
        note: ingestNote(json),
      },
      {
        name: 'throughput',
        value: json.mammocad.megabytesPerSecond,
        unit: 'MB/s',
        peer: { name: 'storescp (dcmtk)', value: json.storescp.megabytesPerSecond },
        higherIsBetter: true,
      },
      { name: 'receiver peak memory', value: json.mammocadPeakRssMb, unit: 'MB', higherIsBetter: false },
    ];
  }
  if (name === 'infer' && json?.detectAndClassifyMs) {
    const rows: BenchmarkFigure[] = [
      {
        name: `detect + classify, ${json.image?.width}×${json.image?.height}, ${json.threads} threads (median of ${json.runs})`,
        value: json.detectAndClassifyMs.median,
        unit: 'ms',
        peer: json.targets?.ms ? { name: 'target', value: json.targets.ms } : undefined,
        higherIsBetter: false,
        note: json.host?.loadavg ? `load average ${Number(json.host.loadavg[0]).toFixed(1)} on ${json.host.cpus} CPUs` : undefined,
      },
      { name: 'model session start', value: json.sessionStartMs, unit: 'ms', higherIsBetter: false },
      {
        name: 'peak process memory',
        value: json.peakProcessRssMb,
        unit: 'MB',
        peer: json.targets?.peakMemoryMb ? { name: 'target', value: json.targets.peakMemoryMb } : undefined,
        higherIsBetter: false,
      },
    ];
    if (json.dicom?.ms) rows.push({ name: 'whole analyseImage of a DICOM file', value: json.dicom.ms, unit: 'ms', higherIsBetter: false });
    return rows;
  }
  throw new Error(`unknown result format (expected a "figures" array): keys ${Object.keys(json ?? {}).join(', ')}`);
}

function ingestNote(json: any): string | undefined {
  const parts = [
    typeof json.medianRoundRatio === 'number' ? `median of per-round ratios ${json.medianRoundRatio.toFixed(2)}×` : '',
    typeof json.loadAverageDuringRun === 'number' ? `load average ${json.loadAverageDuringRun.toFixed(1)}` : '',
    json.notes ?? '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  return abs >= 100 ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** docs/benchmarks.md: one table, a row per figure, "not available" for a benchmark that did not run. */
export function benchmarksMarkdown(outcomes: BenchmarkOutcome[], context: { date: string; host: string }): string {
  const rows = outcomes.flatMap((o) => {
    const title = BENCHMARK_TITLES[o.name];
    if (o.status !== 'ok') return [`| ${title} | not available | | | | ${o.reason.replace(/\|/g, '\\|').replace(/\s+/g, ' ')} |`];
    return o.figures.map((f) => {
      const ratio = peerRatio(f);
      const note = (f.note ?? '').replace(/\|/g, '\\|');
      return `| ${title} | ${f.name} | ${fmt(f.value)} ${f.unit} | ${f.peer ? `${f.peer.name}: ${fmt(f.peer.value)} ${f.unit}` : ''} | ${ratio === undefined ? '' : `${ratio.toFixed(2)}×`} | ${note} |`;
    });
  });
  return [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${context.date}, ${context.host}. Each benchmark also runs alone`,
    '(`npm run bench:ingest`, `bench:imaging`, `bench:infer`, `bench:e2e`). Peer ratio: above 1× means',
    'mammocad does better than the peer (faster than it, or under the target); below 1×, worse.',
    '',
    '| Benchmark | Figure | mammocad | Peer | Peer ratio | Note |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
