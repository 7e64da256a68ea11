import { calibration } from '../../../scripts/eval/calibration';
import { budgetFloor, frocCurve, frocSteps, kneeFloor, sensitivityAt } from '../../../scripts/eval/froc';
import { rocAuc, sensitivitySpecificity, sensitivitySpecificityByCut } from '../../../scripts/eval/rocAuc';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { distanceToSpeck, insideRegion, isTargetSpeck, subsetClusterMark, syntheticCases } from '../../../scripts/eval/evaluationCases';
import { frocSvg } from '../../../scripts/eval/frocSvg';
import { addImageToSubsets, clusterSubsets } from '../../../scripts/eval/clusterSubsets';

describe('evaluation metrics', () => {
  it('FROC: sweeps the threshold, counts each target once and false marks per image', () => {
    const marks = [
      { score: 0.9, hits: ['a'] },
      { score: 0.8, hits: [] },
      { score: 0.7, hits: ['a'] }, // a second mark on a found target adds nothing
      { score: 0.6, hits: ['b'] },
      { score: 0.5, hits: [] },
    ];
    const curve = frocCurve(marks, 4, 2);
    expect(curve.map((p) => [p.falseMarksPerImage, p.sensitivity])).toEqual([
      [0, 0],
      [0, 0.25],
      [0.5, 0.25],
      [0.5, 0.25],
      [0.5, 0.5],
      [1, 0.5],
    ]);
    expect(sensitivityAt(curve, 0.25).sensitivity).toBe(0.25);
    const steps = frocSteps(curve);
    expect(steps.map((p) => p.sensitivity)).toEqual([0, 0.25, 0.5, 0.5]);
    expect(sensitivityAt(steps, 0.5)).toEqual(sensitivityAt(curve, 0.5));
    expect(sensitivityAt(curve, 0.5)).toEqual({ sensitivity: 0.5, threshold: 0.6 });
    expect(frocSvg([{ name: 'c', points: curve, colour: '#000' }], 'FROC <test>')).toContain('FROC &lt;test&gt;');
    expect(frocSvg([{ name: 'c', points: curve, colour: '#000' }], 'FROC')).not.toContain('<polygon');
  });

  it('FROC plot: a band is shaded behind its curve, from 0.05 to 10 false marks per image, and named in the legend', () => {
    const curve = frocCurve([{ score: 0.9, hits: ['a'] }, { score: 0.5, hits: [] }], 2, 1);
    const band = [
      { falseMarksPerImage: 0.05, lower: 0.2, upper: 0.8 },
      { falseMarksPerImage: 10, lower: 0.3, upper: 0.9 },
    ];
    const svg = frocSvg([{ name: 'clusters', points: curve, colour: '#c0392b', band }], 'FROC');
    // Plot area: x from 60 to 460, y from 40 (sensitivity 1) to 310 (0): the upper edge left to right, then the lower edge back.
    expect(svg).toContain('<polygon fill="#c0392b" fill-opacity="0.15" stroke="none" points="60.0,94.0 460.0,67.0 460.0,229.0 60.0,256.0"/>');
    expect(svg.indexOf('<polygon')).toBeLessThan(svg.indexOf('<polyline'));
    expect(svg).toContain('clusters (shaded: 95 % interval)');
  });

  it('FROC without targets: no sensitivity (NaN, null in the report), not 0; the plot says so', () => {
    const curve = frocSteps(frocCurve([{ score: 0.5, hits: [] }], 0, 3));
    expect(curve.every((p) => Number.isNaN(p.sensitivity))).toBe(true);
    expect(sensitivityAt(curve, 1).sensitivity).toBeNaN();
    expect(JSON.parse(JSON.stringify({ at1: sensitivityAt(curve, 1).sensitivity }))).toEqual({ at1: null });
    expect(kneeFloor(curve, 1)).toBeUndefined();
    const svg = frocSvg([{ name: 'visible clusters', points: curve, colour: '#000' }], 'FROC');
    expect(svg).toContain('visible clusters: no targets');
    expect(svg).not.toMatch(/NaN|<polyline/);
  });

  it('reporting floor: at the knee, halfway in log-odds to the next mark, not at the highest false-mark rate allowed', () => {
    const marks = [
      { score: 0.9, hits: ['a'] },
      { score: 0.5, hits: ['b'] }, // the last mark that adds a target within 1 false mark per image
      { score: 0.2, hits: [] },
      { score: 0.1, hits: [] },
      { score: 0.08, hits: [] },
      { score: 0.05, hits: ['c'] }, // only at 1.5 false marks per image
    ];
    const curve = frocCurve(marks, 3, 2);
    const chosen = kneeFloor(curve, 1);
    expect(chosen?.knee).toEqual({ threshold: 0.5, falseMarksPerImage: 0, sensitivity: 2 / 3 });
    expect(chosen?.floor).toBeCloseTo(1 / (1 + Math.sqrt(4)), 12); // logit midpoint of 0.5 and 0.2
    expect(sensitivityAt(curve, 1).threshold).toBe(0.1); // the old rule: two false marks more, no target
    expect(kneeFloor(frocCurve([{ score: 0.9, hits: [] }], 3, 2), 1)).toBeUndefined();
    const alone = kneeFloor(frocCurve([{ score: 0.7, hits: ['a'] }], 3, 2), 1);
    expect(alone?.floor).toBeGreaterThan(0); // no mark below: halfway to a score of 1e-6
    expect(alone?.floor).toBeLessThan(0.01);
  });

  it('real-tissue floor: passes at most the budget of false marks, halfway in log-odds to the first one it drops', () => {
    const scores = [0.1, 0.9, 0.5, 0.2, 0.05];
    // 2 images at 1 per image: the two highest (0.9, 0.5) pass, 0.2 does not.
    expect(budgetFloor(scores, 2, 1)).toBeCloseTo(1 / (1 + Math.sqrt(4)), 12);
    expect(scores.filter((s) => s >= budgetFloor(scores, 2, 1))).toEqual([0.9, 0.5]);
    expect(budgetFloor(scores, 10, 0.5)).toBe(0); // 5 allowed: every one passes
    expect(budgetFloor(scores, 10, 0.05)).toBeGreaterThan(0.9); // none allowed: above the highest
    expect(budgetFloor([], 4, 0.25)).toBe(0);
  });

  it('a mark hits a speck near its centre, anywhere along its skeleton or inside its width, a single blob only near its centre', () => {
    const spacing = 0.1; // mm per original pixel
    const vessel = { x: 100, y: 50, diameterMm: 1, cnr: 8, skeleton: [[{ x: 0, y: 45 }, { x: 200, y: 45 }], [{ x: 0, y: 55 }, { x: 200, y: 55 }]] };
    expect(distanceToSpeck({ x: 10, y: 56 }, vessel, spacing)).toBeCloseTo(1, 12); // 90 px from the midpoint, on a wall
    expect(distanceToSpeck({ x: 104, y: 52 }, vessel, spacing)).toBe(0); // between the walls, within its 1 mm width of the centre
    expect(distanceToSpeck({ x: 60, y: 50 }, vessel, spacing)).toBeCloseTo(5, 12);
    const dot = { x: 100, y: 50, diameterMm: 0.3, cnr: 4 };
    expect(distanceToSpeck({ x: 103, y: 54 }, dot, spacing)).toBeCloseTo(5, 12);
    // A mark on the edge of a 1 mm speck is on the calcification, 0.45 mm from its centre.
    const coarse = { x: 100, y: 50, diameterMm: 1, cnr: 9 };
    expect(distanceToSpeck({ x: 104.5, y: 50 }, coarse, spacing)).toBe(0);
    expect(distanceToSpeck({ x: 106, y: 50 }, coarse, spacing)).toBeCloseTo(6, 12); // outside it: from the centre, as before
  });

  it('AUC by ranks with ties counted half, and sensitivity/specificity at a threshold', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBeCloseTo(0.75, 10);
    expect(rocAuc([0.5, 0.5], [true, false])).toBeCloseTo(0.5, 10);
    expect(Number.isNaN(rocAuc([0.5], [true]))).toBe(true);
    expect(sensitivitySpecificity([0.1, 0.4, 0.35, 0.8], [false, false, true, true], 0.3)).toMatchObject({ sensitivity: 1, specificity: 0.5 });
    const byCut = sensitivitySpecificityByCut([0.1, 0.4, 0.35, 0.8], [false, false, true, true], [0.3, 0.5, 0.9]);
    expect(byCut.map(({ cut, sensitivity, specificity }) => [cut, sensitivity, specificity])).toEqual([
      [0.3, 1, 0.5],
      [0.5, 0.5, 1],
      [0.9, 0, 1],
    ]);
  });

  it('hit regions: polygon (synthetic truth) and circle (mini-MIAS)', () => {
    const square = { polygon: [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 10 }, { x: 0, y: 0 }] };
    expect(insideRegion({ x: 5, y: 5 }, square)).toBe(true);
    expect(insideRegion({ x: 11, y: 5 }, square)).toBe(false);
    expect(insideRegion({ x: 3, y: 4 }, { center: { x: 0, y: 0 }, radius: 5 })).toBe(true);
    expect(insideRegion({ x: 4, y: 4 }, { center: { x: 0, y: 0 }, radius: 5 })).toBe(false);
  });

  it('synthetic truth: a cluster is "visible" with at least three specks of ≥ 0.2 mm and CNR ≥ 3', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-eval-'));
    const speck = (clusterId: number, diameterMm: number, cnr: number) => ({ x: 10, y: 10, diameterMm, lengthMm: diameterMm, type: 'punctate', cnr, clusterId });
    const outline = [{ x: 0, y: 0 }, { x: 20, y: 0 }, { x: 20, y: 20 }, { x: 0, y: 0 }];
    const cluster = (id: number) => ({ id, center: { x: 10, y: 10 }, outline, morphology: 'punctate', distribution: 'grouped', pathology: 'benign' });
    const truth = {
      version: 1, seed: 1, rows: 20, columns: 20, pixelSpacingMm: [0.1, 0.1], laterality: 'L', view: 'CC', tissue: 'procedural',
      // Cluster 1: three targets. Cluster 2: two targets, one too faint, one too small.
      specks: [speck(1, 0.3, 4), speck(1, 0.2, 3), speck(1, 0.5, 8), speck(2, 0.3, 5), speck(2, 0.3, 6), speck(2, 0.3, 2.9), speck(2, 0.15, 9)],
      clusters: [cluster(1), cluster(2)],
    };
    try {
      fs.writeFileSync(path.join(dir, 'L_CC.truth.json'), JSON.stringify(truth));
      fs.writeFileSync(path.join(dir, 'L_CC.dcm'), '');
      const [c] = syntheticCases(dir);
      expect(c.clusters.map((k) => [k.id, k.visible])).toEqual([['L_CC.dcm#1', true], ['L_CC.dcm#2', false]]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('synthetic truth: the per-speck target and "visible" read the CNR in the image (truth cnr), not the speck\'s own (cnrAlone)', () => {
    // Specks of a compact cluster drawn at CNR 2.4-2.9 that their neighbours lift above 3 in the image are targets.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-eval-'));
    const speck = (cnr: number, cnrAlone: number) => ({ x: 10, y: 10, diameterMm: 0.3, lengthMm: 0.3, type: 'punctate', cnr, cnrAlone, clusterId: 1 });
    const truth = {
      version: 1, seed: 1, rows: 20, columns: 20, pixelSpacingMm: [0.1, 0.1], laterality: 'L', view: 'CC', tissue: 'procedural',
      specks: [speck(3.4, 2.6), speck(3.1, 2.4), speck(3.9, 2.9)],
      clusters: [{ id: 1, center: { x: 10, y: 10 }, outline: [{ x: 0, y: 0 }, { x: 20, y: 0 }, { x: 20, y: 20 }, { x: 0, y: 0 }], morphology: 'punctate', distribution: 'grouped', pathology: 'benign' }],
    };
    try {
      fs.writeFileSync(path.join(dir, 'L_CC.truth.json'), JSON.stringify(truth));
      fs.writeFileSync(path.join(dir, 'L_CC.dcm'), '');
      const [c] = syntheticCases(dir);
      expect(c.specks?.map((s) => s.cnr)).toEqual([3.4, 3.1, 3.9]);
      expect(c.specks?.filter(isTargetSpeck)).toHaveLength(3);
      expect(c.clusters[0].visible).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('synthetic truth: a group is a BI-RADS cluster with at least 3 specks and a distribution other than regional or diffuse', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-eval-'));
    const speck = (clusterId: number) => ({ x: 10, y: 10, diameterMm: 0.3, lengthMm: 0.3, type: 'punctate', cnr: 5, clusterId });
    const outline = [{ x: 0, y: 0 }, { x: 20, y: 0 }, { x: 20, y: 20 }, { x: 0, y: 0 }];
    const cluster = (id: number, distribution: string, morphology = 'punctate') => ({ id, center: { x: 10, y: 10 }, outline, morphology, distribution, pathology: 'benign' });
    const specks = (clusterId: number, n: number) => Array.from({ length: n }, () => speck(clusterId));
    const truth = {
      version: 1, seed: 1, rows: 20, columns: 20, pixelSpacingMm: [0.1, 0.1], laterality: 'L', view: 'CC', tissue: 'procedural',
      // 1: grouped, 3 specks. 2: a rim pair. 3: a single vessel. 4: regional, 8 specks. 5: diffuse, 6. 6: segmental, 12. 7: linear, 3.
      specks: [...specks(1, 3), ...specks(2, 2), ...specks(3, 1), ...specks(4, 8), ...specks(5, 6), ...specks(6, 12), ...specks(7, 3), speck(0)].map((s) => (s.clusterId === 0 ? { ...s, clusterId: null } : s)),
      clusters: [cluster(1, 'grouped'), cluster(2, 'grouped', 'rim'), cluster(3, 'linear', 'vascular'), cluster(4, 'regional'), cluster(5, 'diffuse'), cluster(6, 'segmental'), cluster(7, 'linear')],
    };
    try {
      fs.writeFileSync(path.join(dir, 'L_CC.truth.json'), JSON.stringify(truth));
      fs.writeFileSync(path.join(dir, 'L_CC.dcm'), '');
      const [c] = syntheticCases(dir);
      expect(c.clusters.map((k) => k.biradsCluster)).toEqual([true, false, false, false, false, true, true]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a cluster FROC on a subset of true clusters: marks only in clusters outside it are neither hits nor false', () => {
    const region = { polygon: [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 0 }] };
    const truth = [
      { id: 'a', region, pathology: 'malignant' as const, visible: true, biradsCluster: true },
      { id: 'pair', region, pathology: 'benign' as const, visible: true, biradsCluster: false },
    ];
    const birads = (t: { biradsCluster?: boolean }) => t.biradsCluster === true;
    expect(subsetClusterMark(0.9, ['a', 'pair'], truth, birads)).toEqual({ score: 0.9, hits: ['a'] });
    expect(subsetClusterMark(0.8, ['pair'], truth, birads)).toBeNull();
    expect(subsetClusterMark(0.7, [], truth, birads)).toEqual({ score: 0.7, hits: [] });
    // On the whole set the mark in the pair would have been a hit; here one true cluster, one false mark.
    const marks = [subsetClusterMark(0.8, ['pair'], truth, birads), subsetClusterMark(0.7, [], truth, birads)].filter((m) => m !== null);
    const curve = frocCurve(marks, 1, 1);
    expect(curve[curve.length - 1]).toMatchObject({ falseMarksPerImage: 1, sensitivity: 0 });
  });

  it('keeps each subset of true clusters with its own marks and count over the images', () => {
    const region = { center: { x: 0, y: 0 }, radius: 10 };
    const subsets = clusterSubsets();
    const first = [
      { id: 'seen', region, pathology: 'malignant' as const, visible: true, biradsCluster: true },
      { id: 'faint', region, pathology: 'benign' as const, visible: false, biradsCluster: true },
    ];
    addImageToSubsets(subsets, first, [
      { score: 0.9, hits: ['seen'] },
      { score: 0.6, hits: ['faint'] },
      { score: 0.4, hits: [] },
    ]);
    addImageToSubsets(subsets, [{ id: 'pair', region, pathology: 'benign' as const, visible: true, biradsCluster: false }], [{ score: 0.5, hits: ['pair'] }]);
    expect(subsets.visible.trueClusters).toBe(2);
    expect(subsets.visible.marks).toEqual([
      { score: 0.9, hits: ['seen'] },
      { score: 0.4, hits: [] },
      { score: 0.5, hits: ['pair'] },
    ]);
    expect(subsets.birads.trueClusters).toBe(2);
    expect(subsets.birads.marks.map((m) => m.score)).toEqual([0.9, 0.6, 0.4]);
    expect(subsets.visibleBirads.trueClusters).toBe(1);
    expect(subsets.visibleBirads.marks.map((m) => m.score)).toEqual([0.9, 0.4]);
  });
});

describe('calibration of P(malignant)', () => {
  it('gives the Brier score and, per bin of P, the share of malignant clusters', () => {
    const p = [0.05, 0.1, 0.9, 0.97, 1, 0.5];
    const malignant = [false, true, true, true, false, true];
    const { brier, bins } = calibration(p, malignant);
    expect(brier).toBeCloseTo((0.05 ** 2 + 0.9 ** 2 + 0.1 ** 2 + 0.03 ** 2 + 1 + 0.5 ** 2) / 6, 12);
    expect(bins.map((b) => [b.from, b.to, b.clusters, b.malignantShare])).toEqual([
      [0, 0.2, 2, 0.5],
      [0.4, 0.6, 1, 1],
      [0.8, 0.95, 1, 1],
      [0.95, 1, 2, 0.5], // the last bin holds P = 1
    ]);
    expect(bins[0].meanProbability).toBeCloseTo(0.075, 12);
  });

  it('is NaN with no clusters, with no bins', () => {
    expect(calibration([], [])).toEqual({ brier: NaN, bins: [] });
  });
});
