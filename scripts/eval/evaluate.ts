/**
 * npm run eval -- <dataset folder> [--json FILE] [--svg FILE] [--limit N] [--config FILE] [--speck-threshold P]
 *   [--link-mm D] [--min-specks N] [--min-specks-coarse N] [--max-speck-mm D] [--join-threshold T] [--split-mm R] [--split-dip L] [--split-components N] [--split-components-coarse N] [--split-signal heatmap|centres] [--split-min-peak P] [--split-min-peak-coarse P] [--split-min-mm D] [--edge-margin-mm M] [--cluster-floor P] [--cluster-floor-coarse P]
 *
 * Runs the production path (prepare → detect in the worker pool → cluster → classify) over labelled
 * images and prints cluster FROC (and its candidate ceiling: candidateCeiling.ts), per-speck FROC
 * (where specks are annotated), benign/malignant AUC with sensitivity/specificity at the operating
 * point, and per-breast results, each with a 95 % bootstrap interval over breasts
 * (breastIntervals.ts; eval:compare pairs two reports). Datasets: the
 * synthetic ground-truth format (*.dcm + *.truth.json) or mini-MIAS (annotations.csv + images/, PNGs
 * or a site's own DICOM files: evaluationCases.ts, miniMiasCases).
 * Real data is for checking only: nothing here feeds back into training. Runs with the node's own
 * configuration (loadConfig), --config merged on top; images that cannot be read are listed in
 * images.failures and the run goes on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analysePreparedImageInDetail } from '../../src/detect/analyseImage';
import { detectionParametersFor } from '../../src/detect/detectionParameters';
import { closeDetectionRuntimes, getDetectionRuntime } from '../../src/detect/detectionRuntime';
import { ALGORITHM_IDENTITY } from '../../src/detect/algorithmIdentity';
import {
  BIRADS_CLUSTER_MIN_SPECKS,
  clusterMarkHits,
  insideRegion,
  isTargetSpeck,
  miniMiasCases,
  syntheticCases,
  VISIBLE_CLUSTER_MIN_SPECKS,
  type CaseFailure,
  type EvaluationCase,
} from './evaluationCases';
import { SPECK_HIT_MM, scoredSpeckMarks, speckFrocMarks, type SpeckFrocMark } from './speckFrocMarks';
import { parameterOverrides, speckExtractionOverrides } from './speckExtractionOverrides';
import { addImageToSubsets, clusterSubsets, type ClusterSubset } from './clusterSubsets';
import { CandidateCeiling } from './candidateCeiling';
import { frocCurve, frocSteps, sensitivityAt, type ScoredMark } from './froc';
import { FROC_BAND_RATES, frocSvg } from './frocSvg';
import { calibration } from './calibration';
import { rocAuc, sensitivitySpecificity, sensitivitySpecificityByCut } from './rocAuc';
import { evaluationConfig } from './evaluationConfig';
import { writeFileAtomic } from './writeFileAtomic';
import { speckSensitivityByCnrBand, type SpeckOutcome } from './speckCnrBands';
import { BreastTallies } from './breastIntervals';
import { bridgeDicomLibraryLogging } from '../../src/log/dicomLibraryLogBridge';
import { numberFrom, option } from '../commandLine';

const FROC_RATES = [0.25, 0.5, 1, 2];

/** --limit N: every image with a finding and the first N normal ones. */
function normalImageLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = numberFrom('limit', value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--limit must be a whole number of normal images, not "${value}"`);
  return n;
}

async function main(): Promise<void> {
  bridgeDicomLibraryLogging(); // a damaged file's reason is printed below, not dcmjs's stack trace
  const dataset = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && (i === 0 || !all[i - 1].startsWith('--')));
  if (!dataset) throw new Error('usage: npm run eval -- <dataset folder> [--json FILE] [--svg FILE] [--limit N]');
  const config = evaluationConfig(option('config'));
  const isMias = fs.existsSync(path.join(dataset, 'annotations.csv'));
  // Labelled images that cannot be evaluated at all (image missing, truth unreadable), then those that fail to prepare or analyse.
  const failures: CaseFailure[] = [];
  let cases: EvaluationCase[] = isMias ? miniMiasCases(dataset, failures, config.imaging.defaultSpacingMm) : syntheticCases(dataset, failures);
  const limit = normalImageLimit(option('limit'));
  const abnormal = (c: EvaluationCase) => c.clusters.length > 0 || c.unlocalised !== undefined;
  if (limit !== undefined) cases = cases.filter(abnormal).concat(cases.filter((c) => !abnormal(c)).slice(0, limit));
  if (cases.length === 0 && failures.length === 0) throw new Error(`no labelled images found in ${dataset}`);
  const unloadable = failures.length;
  for (const f of failures) process.stderr.write(`${f.id}: not evaluated: ${f.reason}\n`);
  // Post-processing overrides for exploring settings on validation data (never on the hold-out).
  const params = {
    ...detectionParametersFor(config),
    ...speckExtractionOverrides(option),
    ...parameterOverrides(option, {
      'speck-threshold': 'speckThreshold',
      'link-mm': 'linkDistanceMm',
      'cluster-floor': 'clusterFloor',
      'cluster-floor-coarse': 'clusterFloorCoarse',
      'edge-margin-mm': 'edgeMarginMm',
    }),
  };
  const runtime = await getDetectionRuntime(config, params);

  const clusterMarks: ScoredMark[] = [];
  const ceiling = new CandidateCeiling();
  const subsets = clusterSubsets();
  const speckMarks = { detector: [] as SpeckFrocMark[], peak: [] as SpeckFrocMark[], reported: [] as SpeckFrocMark[] };
  let trueClusters = 0;
  let trueSpecks = 0;
  let targetSpecks = 0;
  const speckOutcomes: SpeckOutcome[] = [];
  let analysed = 0;
  // Images in the cluster FROC (analysed, less the unlocalised abnormal ones), and those left out with why.
  let frocImages = 0;
  const leftOut: { id: string; reason: string }[] = [];
  const clusterScores: { id: string; pathology: string; malignancy: number }[] = [];
  const breasts = new Map<string, { malignant: boolean; hasCluster: boolean; score: number }>();
  const perImage: Record<string, unknown>[] = [];
  let inferMs = 0;
  // The same results per breast, for the confidence intervals.
  const tallies = new BreastTallies();

  for (const c of cases) {
    const prepared = await c.prepare(config.imaging);
    if (!prepared.ok) {
      failures.push({ id: c.id, reason: prepared.reason });
      process.stderr.write(`${c.id}: failed: ${prepared.reason}\n`);
      continue;
    }
    const { findings, specks: allSpecks, candidateCentres, detection } = await analysePreparedImageInDetail(prepared.image, runtime, params, performance.now(), { faintMarks: 'withStage' });
    if (findings.status !== 'analysed') {
      failures.push({ id: c.id, reason: findings.failureReason ?? 'failed' });
      process.stderr.write(`${c.id}: failed: ${findings.failureReason ?? 'failed'}\n`);
      continue;
    }
    analysed++;
    inferMs += detection?.inferMs ?? 0;
    const breast = breasts.get(c.breast) ?? { malignant: false, hasCluster: false, score: 0 };
    breast.score = Math.max(breast.score, findings.imageScore);
    breasts.set(c.breast, breast);
    if (c.unlocalised) {
      breast.malignant ||= c.unlocalised.pathology === 'malignant';
      breast.hasCluster = true;
      leftOut.push({ id: c.id, reason: c.unlocalised.reason });
      const marks = findings.clusters.map((k) => ({ x: Math.round(k.center.x), y: Math.round(k.center.y), score: k.detectionScore, malignancy: k.malignancy }));
      perImage.push({ id: c.id, breast: c.breast, trueClusters: null, reported: findings.clusters.length, falseClusters: null, leftOutOfClusterFroc: c.unlocalised.reason, specks: allSpecks.length, imageScore: findings.imageScore, marks });
      process.stderr.write(`${c.id}: ${findings.clusters.length} clusters, ${allSpecks.length} specks; left out of the cluster FROC: ${c.unlocalised.reason}\n`);
      continue;
    }
    frocImages++;
    trueClusters += c.clusters.length;
    let falseClusters = 0;
    let unscoredClusters = 0;
    // Each reported cluster's centre (original pixels), so a site can look at every false mark.
    const marks: { x: number; y: number; score: number; malignancy: number; hits: string[] }[] = [];
    for (const k of findings.clusters) {
      const hit = clusterMarkHits(k.center, c);
      if (hit === null) {
        unscoredClusters++;
        continue;
      }
      const hits = hit.map((t) => t.id);
      if (hits.length === 0) falseClusters++;
      marks.push({ x: Math.round(k.center.x), y: Math.round(k.center.y), score: k.detectionScore, malignancy: k.malignancy, hits });
    }
    clusterMarks.push(...marks);
    ceiling.addImage(c, candidateCentres);
    addImageToSubsets(subsets, c.clusters, marks);
    tallies.addClusterImage(c.breast, c.clusters, marks);
    for (const t of c.clusters) {
      const matching = findings.clusters.filter((k) => insideRegion(k.center, t.region));
      if (matching.length === 0) continue;
      const malignancy = Math.max(...matching.map((k) => k.malignancy));
      clusterScores.push({ id: t.id, pathology: t.pathology, malignancy });
      tallies.addFoundCluster(c.breast, malignancy, t.pathology === 'malignant');
    }
    // The image's target-speck marks (score, and the indices of the true specks each hits), for eval:compare's paired per-speck FROC.
    let speckFroc: { targetSpecks: number; marks: { score: number; hits: number[] }[] } | undefined;
    const specks = c.specks ? scoredSpeckMarks(allSpecks, c.specks, c) : allSpecks;
    if (c.specks) {
      trueSpecks += c.specks.length;
      const imageTargets = c.specks.filter(isTargetSpeck).length;
      targetSpecks += imageTargets;
      const truth = c.specks;
      const detectorMarks = speckFrocMarks(specks, truth, c.id, c.spacingMm);
      speckMarks.detector.push(...detectorMarks);
      speckMarks.peak.push(...speckFrocMarks(specks.map((s) => ({ center: s.center, score: s.peak })), truth, c.id, c.spacingMm));
      const targetMarks = detectorMarks.flatMap((m) => (m.target ? [m.target] : []));
      tallies.addSpeckImage(c.breast, imageTargets, targetMarks);
      speckFroc = { targetSpecks: imageTargets, marks: targetMarks.map((m) => ({ score: m.score, hits: m.hits.map((h) => Number(h.slice(h.lastIndexOf('#') + 1))) })) };
      const found = new Set(detectorMarks.flatMap((m) => m.all.hits));
      truth.forEach((s, i) => speckOutcomes.push({ cnr: s.cnr, diameterMm: s.diameterMm, found: found.has(`${c.id}#${i}`) }));
      // What the node reports: the individual calcifications of its clusters, at their certainty.
      const reported = scoredSpeckMarks(findings.clusters.flatMap((k) => k.calcifications), truth, c);
      speckMarks.reported.push(...speckFrocMarks(reported, truth, c.id, c.spacingMm));
    }
    breast.malignant ||= c.clusters.some((t) => t.pathology === 'malignant');
    breast.hasCluster ||= c.clusters.length > 0;
    // Marks left out where the image holds real findings its truth does not list (EvaluationCase.unscored).
    const unscoredMarks = c.unscored ? { clusters: unscoredClusters, specks: allSpecks.length - specks.length } : undefined;
    perImage.push({ id: c.id, breast: c.breast, trueClusters: c.clusters.length, reported: findings.clusters.length, falseClusters, specks: specks.length, imageScore: findings.imageScore, marks, ...(unscoredMarks ? { unscoredMarks } : {}), ...(speckFroc ? { speckFroc } : {}) });
    const unscoredNote = unscoredMarks ? `; left out at unlabelled real findings: ${unscoredMarks.clusters} clusters, ${unscoredMarks.specks} specks` : '';
    process.stderr.write(`${c.id}: ${findings.clusters.length} clusters (${falseClusters} false), ${specks.length} specks${unscoredNote}\n`);
  }

  const clusterCurve = frocSteps(frocCurve(clusterMarks, trueClusters, frocImages));
  const subsetCurve = (s: ClusterSubset) => frocSteps(frocCurve(s.marks, s.trueClusters, frocImages));
  const visibleClusterCurve = subsetCurve(subsets.visible);
  const biradsClusterCurve = subsetCurve(subsets.birads);
  const visibleBiradsClusterCurve = subsetCurve(subsets.visibleBirads);
  const speckCurves = (marks: SpeckFrocMark[]) => ({
    all: frocSteps(frocCurve(marks.map((m) => m.all), trueSpecks, analysed)),
    target: frocSteps(frocCurve(marks.flatMap((m) => (m.target ? [m.target] : [])), targetSpecks, analysed)),
  });
  const detectorSpecks = speckCurves(speckMarks.detector);
  const reportedSpecks = speckCurves(speckMarks.reported);
  const peakSpecks = speckCurves(speckMarks.peak);
  const atRates = (curve: typeof clusterCurve) => Object.fromEntries(FROC_RATES.map((r) => [String(r), sensitivityAt(curve, r).sensitivity]));
  // Every mark reported: the last point of a curve.
  const reportedPoint = (curve: typeof clusterCurve) => ({
    sensitivity: curve[curve.length - 1]?.sensitivity ?? NaN,
    falseClustersPerImage: curve[curve.length - 1]?.falseMarksPerImage ?? 0,
  });
  const op = config.inference.operatingPoint;
  const clusterPositive = clusterScores.map((s) => s.pathology === 'malignant');
  const clusterMalignancy = clusterScores.map((s) => s.malignancy);
  const breastList = [...breasts.values()];
  const breastPositive = breastList.map((b) => b.malignant);
  const breastMalignancy = breastList.map((b) => b.score);
  const report = {
    dataset: path.resolve(dataset),
    format: isMias ? 'mini-MIAS' : 'synthetic',
    algorithm: ALGORITHM_IDENTITY,
    parameters: params,
    images: { total: cases.length + unloadable, analysed, failed: failures.length, failures },
    clusterFroc: {
      images: frocImages,
      leftOut,
      trueClusters,
      marks: clusterMarks.length,
      sensitivityAtFalseClustersPerImage: atRates(clusterCurve),
      reportedOperatingPoint: reportedPoint(clusterCurve),
      // The true clusters any candidate hits, reported or not: what no reducer or floor can pass.
      candidateCeiling: ceiling.summary(),
      visible: isMias
        ? null
        : {
            trueClusters: subsets.visible.trueClusters,
            minTargetSpecks: VISIBLE_CLUSTER_MIN_SPECKS,
            sensitivityAtFalseClustersPerImage: atRates(visibleClusterCurve),
            candidateCeiling: ceiling.sensitivity((t) => t.visible === true),
          },
      // Targets: true groups that are clusters in LESIONS.md's sense (evaluationCases.isBiradsCluster);
      // marks that fall only in other groups are neither hits nor false.
      biradsClusters: isMias
        ? null
        : {
            rule: `at least ${BIRADS_CLUSTER_MIN_SPECKS} specks, distribution not regional or diffuse`,
            trueClusters: subsets.birads.trueClusters,
            sensitivityAtFalseClustersPerImage: atRates(biradsClusterCurve),
            reportedOperatingPoint: reportedPoint(biradsClusterCurve),
            visible: {
              trueClusters: subsets.visibleBirads.trueClusters,
              minTargetSpecks: VISIBLE_CLUSTER_MIN_SPECKS,
              sensitivityAtFalseClustersPerImage: atRates(visibleBiradsClusterCurve),
              reportedOperatingPoint: reportedPoint(visibleBiradsClusterCurve),
            },
          },
    },
    speckFroc: isMias
      ? null
      : {
          hitMm: SPECK_HIT_MM,
          // Every speck the detector found, at its speck certainty (src/detect/speckCertainty.ts).
          all: { specks: trueSpecks, sensitivityAtFalseMarksPerImage: atRates(detectorSpecks.all) },
          atLeast0p2mmCnr3: { specks: targetSpecks, sensitivityAtFalseMarksPerImage: atRates(detectorSpecks.target) },
          // The same marks at their heatmap peak (the measure up to 0.3.15): the detector alone.
          atHeatmapPeak: { all: atRates(peakSpecks.all), atLeast0p2mmCnr3: atRates(peakSpecks.target) },
          // Specks of at least 0.2 mm found by any speck mark, by the truth's CNR. The name is older: since
          // 0.3.17 the faint marks down to heatmap 0.5 count too on digital images.
          atThresholdByCnr: speckSensitivityByCnrBand(speckOutcomes),
          // The individual calcifications the node reports (those of its clusters), at their certainty.
          reported: {
            all: atRates(reportedSpecks.all),
            atLeast0p2mmCnr3: atRates(reportedSpecks.target),
          },
        },
    malignancy: {
      operatingPoint: op,
      perCluster: {
        foundClusters: clusterScores.length,
        malignant: clusterPositive.filter(Boolean).length,
        auc: rocAuc(clusterMalignancy, clusterPositive),
        ...sensitivitySpecificity(clusterMalignancy, clusterPositive, op),
        calibration: calibration(clusterMalignancy, clusterPositive),
        byCut: sensitivitySpecificityByCut(clusterMalignancy, clusterPositive),
      },
      perBreast: {
        breasts: breastList.length,
        malignant: breastPositive.filter(Boolean).length,
        withClusters: breastList.filter((b) => b.hasCluster).length,
        auc: rocAuc(breastMalignancy, breastPositive),
        ...sensitivitySpecificity(breastMalignancy, breastPositive, op),
        byCut: sensitivitySpecificityByCut(breastMalignancy, breastPositive),
      },
      clusters: clusterScores,
    },
    confidenceIntervals: tallies.intervals(FROC_RATES, !isMias, breastList, op),
    meanInferMsPerImage: analysed ? inferMs / analysed : 0,
    perImage,
  };
  const jsonOut = option('json') ?? path.join('var', 'eval', `${path.basename(path.resolve(dataset))}.json`);
  const svgOut = option('svg') ?? jsonOut.replace(/\.json$/, '') + '.froc.svg';
  fs.mkdirSync(path.dirname(jsonOut), { recursive: true });
  writeFileAtomic(jsonOut, JSON.stringify({ ...report, curves: { cluster: clusterCurve, visibleCluster: visibleClusterCurve, biradsCluster: biradsClusterCurve, visibleBiradsCluster: visibleBiradsClusterCurve, speckTarget: detectorSpecks.target, reportedSpeckTarget: reportedSpecks.target } }, null, 2) + '\n');
  const curves: Parameters<typeof frocSvg>[0] = [{ name: 'clusters', points: clusterCurve, colour: '#c0392b', band: tallies.clusterFrocBand(FROC_BAND_RATES) }];
  if (!isMias) {
    curves.push({ name: 'clusters with ≥ 3 such specks', points: visibleClusterCurve, colour: '#7d3c98' });
    curves.push({ name: 'BI-RADS clusters (≥ 3 specks, not regional/diffuse)', points: biradsClusterCurve, colour: '#d35400' });
    curves.push({ name: 'the same, with ≥ 3 such specks', points: visibleBiradsClusterCurve, colour: '#b7950b' });
    curves.push({ name: 'specks ≥ 0.2 mm, CNR ≥ 3 (detector)', points: detectorSpecks.target, colour: '#2471a3' });
    curves.push({ name: 'the same, reported in clusters', points: reportedSpecks.target, colour: '#17a589' });
  }
  fs.mkdirSync(path.dirname(svgOut), { recursive: true });
  writeFileAtomic(svgOut, frocSvg(curves, `FROC: ${path.basename(path.resolve(dataset))}`));
  const { perImage: _p, ...summary } = report;
  console.log(JSON.stringify({ ...summary, malignancy: { ...summary.malignancy, clusters: undefined } }, null, 2));
  console.log(`wrote ${jsonOut} and ${svgOut}`);
  if (analysed === 0) {
    console.error('no image could be evaluated (see images.failures)');
    process.exitCode = 1;
  }
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDetectionRuntimes());
