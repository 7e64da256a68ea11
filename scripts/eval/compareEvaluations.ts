/**
 * npm run eval:compare -- <baseline report.json> <candidate report.json> [--json FILE]
 *
 * Two `npm run eval` reports of the same labelled images (say the current models and a candidate),
 * compared cluster by cluster: the cluster sensitivity of each at 0.25, 0.5, 1 and 2 false clusters
 * per image and as reported, the candidate's gain with its 95 % paired bootstrap interval over
 * breasts (bootstrap.ts), and the true clusters only one of them finds; the per-speck sensitivity
 * (specks ≥ 0.2 mm at CNR ≥ 3) at 0.25, 0.5, 1 and 2 false speck marks per image, paired the same
 * way, where both reports hold each image's speck marks (`perImage[].speckFroc`, since 0.3.16);
 * then the malignancy AUC of each on the true clusters both find, with the same kind of interval. A gain whose interval holds
 * 0 is not shown to be real on these cases. Reports of different images, or of the same images
 * with other truth, are refused: a paired comparison needs the same cases on both sides.
 */
import fs from 'node:fs';
import { z } from 'zod';
import {
  DEFAULT_BOOTSTRAP,
  pairedAucDifference,
  pairedFrocDifference,
  type FrocUnit,
  type PairedDifference,
  type RocUnit,
} from './bootstrap';
import { writeFileAtomic } from './writeFileAtomic';

const RATES = [0.25, 0.5, 1, 2, Infinity];
const SPECK_RATES = [0.25, 0.5, 1, 2];

const reportSchema = z.object({
  dataset: z.string(),
  algorithm: z.object({ name: z.string(), version: z.string() }),
  // Reports written before 2026-12-06 give no candidate ceiling (candidateCeiling.ts).
  clusterFroc: z
    .object({
      candidateCeiling: z.object({ sensitivity: z.number().nullable() }).optional(),
      // and none for the visible clusters alone before the forty-seventh session
      visible: z.object({ candidateCeiling: z.number().nullable().optional() }).nullable().optional(),
    })
    .optional(),
  perImage: z.array(
    z.object({
      id: z.string(),
      // Reports written before 2026-12-05 name no breast: each image is then its own unit.
      breast: z.string().optional(),
      trueClusters: z.number().nullable(),
      marks: z.array(z.object({ score: z.number(), hits: z.array(z.string()).optional() })),
      // Target-speck marks: hits are indices of the image's true specks.
      speckFroc: z
        .object({ targetSpecks: z.number(), marks: z.array(z.object({ score: z.number(), hits: z.array(z.number()) })) })
        .optional(),
    }),
  ),
  // Each true cluster found, with the highest P(malignant) of the marks on it.
  malignancy: z.object({
    clusters: z.array(z.object({ id: z.string(), pathology: z.string(), malignancy: z.number() })),
  }),
});
type Report = z.infer<typeof reportSchema>;
type FrocImage = Report['perImage'][number] & { trueClusters: number };

function readReport(file: string): Report {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read the report: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = reportSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${file}: not an npm run eval report (${where.join('; ')})`);
  }
  return parsed.data;
}

/** The images of the cluster FROC, by id (unlocalised abnormal images are not in it). */
function frocImages(report: Report): Map<string, FrocImage> {
  return new Map(
    report.perImage.filter((p): p is FrocImage => p.trueClusters !== null).map((p) => [p.id, p]),
  );
}

/** Refuses two reports that are not of the same images with the same true clusters. */
function checkSameCases(a: Map<string, FrocImage>, b: Map<string, FrocImage>): void {
  const onlyA = [...a.keys()].filter((id) => !b.has(id));
  const onlyB = [...b.keys()].filter((id) => !a.has(id));
  if (onlyA.length > 0 || onlyB.length > 0) {
    const list = (ids: string[]) => ids.slice(0, 3).join(', ') + (ids.length > 3 ? ', …' : '');
    throw new Error(
      `the reports are not of the same images: ${onlyA.length} only in the baseline${onlyA.length ? ` (${list(onlyA)})` : ''}, ${onlyB.length} only in the candidate${onlyB.length ? ` (${list(onlyB)})` : ''}`,
    );
  }
  const differing = [...a.values()]
    .filter((p) => b.get(p.id)!.trueClusters !== p.trueClusters)
    .map((p) => p.id);
  if (differing.length > 0)
    throw new Error(
      `the same images with other truth (true clusters differ): ${differing.slice(0, 3).join(', ')}`,
    );
}

/** An image's targets and scored marks for one FROC. */
type ImageFroc = (p: FrocImage) => { targets: number; marks: FrocUnit['marks'] };

const clusterFroc: ImageFroc = (p) => ({ targets: p.trueClusters, marks: p.marks.map((m) => ({ score: m.score, hits: m.hits ?? [] })) });

/** The target-speck FROC; hits named image id, '#', speck index. Only for images with speckFroc. */
const speckFroc: ImageFroc = (p) => ({
  targets: p.speckFroc!.targetSpecks,
  marks: p.speckFroc!.marks.map((m) => ({ score: m.score, hits: m.hits.map((i) => `${p.id}#${i}`) })),
});

/** One FROC unit per breast of the baseline's grouping, in the same order for both reports. */
function unitsByBreast(images: Map<string, FrocImage>, breastOf: (id: string) => string, breasts: string[], froc: ImageFroc): FrocUnit[] {
  const units = new Map<string, FrocUnit>(breasts.map((b) => [b, { images: 0, targets: 0, marks: [] }]));
  for (const p of images.values()) {
    const u = units.get(breastOf(p.id))!;
    const { targets, marks } = froc(p);
    u.images++;
    u.targets += targets;
    u.marks.push(...marks);
  }
  return breasts.map((b) => units.get(b)!);
}

/** Why the per-speck FROCs cannot be paired, or undefined when they can (refuses other truth). */
function speckFrocMissing(a: Map<string, FrocImage>, b: Map<string, FrocImage>): string | undefined {
  const without = (images: Map<string, FrocImage>) => [...images.values()].filter((p) => !p.speckFroc).length;
  if (without(a) > 0 || without(b) > 0)
    return `not compared: ${without(a)} images of the baseline and ${without(b)} of the candidate hold no speck marks (reports before 0.3.16, or no speck truth)`;
  const differing = [...a.values()].filter((p) => b.get(p.id)!.speckFroc!.targetSpecks !== p.speckFroc!.targetSpecks).map((p) => p.id);
  if (differing.length > 0) throw new Error(`the same images with other truth (target specks differ): ${differing.slice(0, 3).join(', ')}`);
  return undefined;
}

/**
 * The malignancy scores of the true clusters both reports find, one unit per breast in `breasts`'
 * order. A cluster's id is its image's id, '#', and its number in that image.
 */
function commonFoundClusters(
  a: Report,
  b: Report,
  breastOf: (id: string) => string,
  breasts: string[],
): { clusters: number; a: RocUnit[]; b: RocUnit[] } {
  const inB = new Map(b.malignancy.clusters.map((k) => [k.id, k]));
  const units = () => new Map<string, RocUnit>(breasts.map((br) => [br, { scores: [], positive: [] }]));
  const ua = units();
  const ub = units();
  let clusters = 0;
  for (const k of a.malignancy.clusters) {
    const other = inB.get(k.id);
    const breast = breastOf(k.id.slice(0, k.id.lastIndexOf('#')));
    if (!other || !ua.has(breast)) continue;
    clusters++;
    ua.get(breast)!.scores.push(k.malignancy);
    ua.get(breast)!.positive.push(k.pathology === 'malignant');
    ub.get(breast)!.scores.push(other.malignancy);
    ub.get(breast)!.positive.push(k.pathology === 'malignant');
  }
  return { clusters, a: breasts.map((br) => ua.get(br)!), b: breasts.map((br) => ub.get(br)!) };
}

function foundClusters(images: Map<string, FrocImage>): Set<string> {
  return new Set([...images.values()].flatMap((p) => p.marks.flatMap((m) => m.hits ?? [])));
}

function aucLine(d: PairedDifference & { clusters: number }): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'none');
  const interval = d.interval ? `[${f(d.interval[0])}, ${f(d.interval[1])}]` : '[none: one class only]';
  return `malignancy AUC on the ${d.clusters} true clusters both find: ${f(d.a)} → ${f(d.b)}, gain ${d.difference >= 0 ? '+' : ''}${f(d.difference)} ${interval}`;
}

function main(): void {
  const args = process.argv.slice(2);
  const jsonIndex = args.indexOf('--json');
  const jsonOut = jsonIndex >= 0 ? args[jsonIndex + 1] : undefined;
  const files = args.filter((a, i) => !a.startsWith('--') && (i === 0 || args[i - 1] !== '--json'));
  if (files.length !== 2)
    throw new Error(
      'usage: npm run eval:compare -- <baseline report.json> <candidate report.json> [--json FILE]',
    );
  const [baseline, candidate] = files.map(readReport);
  const a = frocImages(baseline);
  const b = frocImages(candidate);
  checkSameCases(a, b);
  if (a.size === 0) throw new Error('the reports hold no image of the cluster FROC');

  const named = [...a.values()].every((p) => p.breast !== undefined);
  const breastOf = (id: string) => (named ? a.get(id)!.breast! : id);
  const breasts = [...new Set([...a.keys()].map(breastOf))];
  const difference = pairedFrocDifference(
    unitsByBreast(a, breastOf, breasts, clusterFroc),
    unitsByBreast(b, breastOf, breasts, clusterFroc),
    RATES,
    DEFAULT_BOOTSTRAP,
  );
  const speckMissing = speckFrocMissing(a, b);
  const speckDifference = speckMissing
    ? undefined
    : pairedFrocDifference(unitsByBreast(a, breastOf, breasts, speckFroc), unitsByBreast(b, breastOf, breasts, speckFroc), SPECK_RATES, DEFAULT_BOOTSTRAP);
  const speckRows = speckDifference && SPECK_RATES.map((rate) => ({ falseMarksPerImage: rate, ...speckDifference[String(rate)] }));
  const targetSpecks = [...a.values()].reduce((n, p) => n + (p.speckFroc?.targetSpecks ?? 0), 0);
  const common = commonFoundClusters(baseline, candidate, breastOf, breasts);
  const foundA = foundClusters(a);
  const foundB = foundClusters(b);
  const falsePerImage = (images: Map<string, FrocImage>) =>
    [...images.values()].reduce((n, p) => n + p.marks.filter((m) => (m.hits ?? []).length === 0).length, 0) /
    images.size;
  const result = {
    baseline: {
      report: files[0],
      algorithm: baseline.algorithm,
      falseClustersPerImageAsReported: falsePerImage(a),
      candidateCeiling: baseline.clusterFroc?.candidateCeiling?.sensitivity ?? null,
      visibleCandidateCeiling: baseline.clusterFroc?.visible?.candidateCeiling ?? null,
    },
    candidate: {
      report: files[1],
      algorithm: candidate.algorithm,
      falseClustersPerImageAsReported: falsePerImage(b),
      candidateCeiling: candidate.clusterFroc?.candidateCeiling?.sensitivity ?? null,
      visibleCandidateCeiling: candidate.clusterFroc?.visible?.candidateCeiling ?? null,
    },
    images: a.size,
    trueClusters: [...a.values()].reduce((n, p) => n + p.trueClusters, 0),
    method: `paired percentile bootstrap over ${named ? 'breasts' : 'images (the reports name no breasts)'}, ${breasts.length} units, ${DEFAULT_BOOTSTRAP.replicates} replicates, seed ${DEFAULT_BOOTSTRAP.seed}`,
    // At each rate of false clusters per image allowed, then with every reported cluster.
    clusterSensitivity: RATES.map((rate) => ({
      falseClustersPerImage: Number.isFinite(rate) ? rate : 'reported',
      ...difference[String(rate)],
    })),
    // Specks ≥ 0.2 mm at CNR ≥ 3, at each rate of false speck marks per image; or why not compared.
    speckSensitivity: speckRows ? { targetSpecks, atRates: speckRows } : { notCompared: speckMissing },
    foundOnlyByBaseline: [...foundA].filter((id) => !foundB.has(id)).sort(),
    foundOnlyByCandidate: [...foundB].filter((id) => !foundA.has(id)).sort(),
    malignancyAucOnClustersBothFind: {
      clusters: common.clusters,
      ...pairedAucDifference(common.a, common.b, DEFAULT_BOOTSTRAP),
    },
  };

  const f = (v: number) => v.toFixed(2);
  const ceilingText = (v: number | null) => (v === null ? 'not in the report' : f(v));
  const gainRow = (rate: number | string, d: PairedDifference) => {
    const interval = d.interval ? `[${f(d.interval[0])}, ${f(d.interval[1])}]` : '[none]';
    return `${String(rate).padEnd(24)} | ${f(d.a).padEnd(8)} | ${f(d.b).padEnd(9)} | ${d.difference >= 0 ? '+' : ''}${f(d.difference)} ${interval}`;
  };
  const lines = [
    `baseline  ${baseline.algorithm.name} ${baseline.algorithm.version}: ${files[0]}`,
    `candidate ${candidate.algorithm.name} ${candidate.algorithm.version}: ${files[1]}`,
    `${result.images} images, ${result.trueClusters} true clusters; ${result.method}`,
    'false clusters per image | baseline | candidate | gain [95 % interval]',
    ...result.clusterSensitivity.map((d) => gainRow(d.falseClustersPerImage, d)),
    `false clusters per image as reported: ${f(result.baseline.falseClustersPerImageAsReported)} → ${f(result.candidate.falseClustersPerImageAsReported)}`,
    `clusters any candidate hits, reported or not: ${ceilingText(result.baseline.candidateCeiling)} → ${ceilingText(result.candidate.candidateCeiling)}` +
      `; visible ones: ${ceilingText(result.baseline.visibleCandidateCeiling)} → ${ceilingText(result.candidate.visibleCandidateCeiling)}`,
    `found only by the baseline (${result.foundOnlyByBaseline.length}): ${result.foundOnlyByBaseline.join(', ') || 'none'}`,
    `found only by the candidate (${result.foundOnlyByCandidate.length}): ${result.foundOnlyByCandidate.join(', ') || 'none'}`,
    ...(speckRows
      ? [`per speck (${targetSpecks} specks ≥ 0.2 mm at CNR ≥ 3)`, 'false marks per image    | baseline | candidate | gain [95 % interval]', ...speckRows.map((d) => gainRow(d.falseMarksPerImage, d))]
      : [`per speck: ${speckMissing}`]),
    aucLine(result.malignancyAucOnClustersBothFind),
  ];
  console.log(lines.join('\n'));
  if (jsonOut) writeFileAtomic(jsonOut, JSON.stringify(result, null, 2) + '\n');
}

try {
  main();
} catch (e) {
  console.error(`eval:compare: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
