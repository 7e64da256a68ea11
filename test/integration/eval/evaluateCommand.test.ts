import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GroundTruth } from '../../../src/findings/groundTruth';
import { ALGORITHM_IDENTITY } from '../../../src/detect/algorithmIdentity';
import { writeEvaluationStudy } from '../../helpers/evaluationStudy';

const repo = path.join(__dirname, '../../..');
const TSX = path.join(repo, 'node_modules/.bin/tsx');
const MINI_MIAS = path.join(repo, '../shared/data/mini-mias-dev');

interface Mark {
  x: number;
  y: number;
  score: number;
  malignancy: number;
  hits: string[];
}
interface Report {
  algorithm: { name: string; version: string };
  images: { total: number; analysed: number; failed: number };
  clusterFroc: {
    trueClusters: number;
    marks: number;
    sensitivityAtFalseClustersPerImage: Record<string, number>;
    candidateCeiling: { sensitivity: number | null; falseCandidatesPerImage: number };
    visible: { trueClusters: number; sensitivityAtFalseClustersPerImage: Record<string, number>; candidateCeiling: number | null };
    biradsClusters: {
      trueClusters: number;
      sensitivityAtFalseClustersPerImage: Record<string, number>;
      visible: { trueClusters: number; sensitivityAtFalseClustersPerImage: Record<string, number> };
    };
  };
  perImage: {
    id: string;
    breast: string;
    trueClusters: number;
    reported: number;
    falseClusters: number;
    marks: Mark[];
    speckFroc?: { targetSpecks: number; marks: { score: number; hits: number[] }[] };
  }[];
  confidenceIntervals: {
    breasts: number;
    clusterSensitivityAtFalseClustersPerImage: Record<string, [number, number] | null>;
    visibleClusterSensitivityAtFalseClustersPerImage: Record<string, [number, number] | null> | null;
    speckSensitivityAtFalseMarksPerImage: Record<string, [number, number] | null> | null;
  };
  speckFroc: {
    atThresholdByCnr: { cnr: string; specks: number; sensitivity: number | null }[];
    atLeast0p2mmCnr3: { specks: number; sensitivityAtFalseMarksPerImage: Record<string, number> };
  } | null;
  malignancy: {
    operatingPoint: number;
    perCluster: { foundClusters: number; sensitivity: number; calibration: { brier: number; bins: { clusters: number }[] }; byCut: { cut: number; sensitivity: number; tp: number; fn: number; tn: number; fp: number }[] };
    clusters: { id: string; pathology: string; malignancy: number }[];
    perBreast: { breasts: number };
  };
  format: string;
}

/** `npm run eval` as a hospital runs it: the script in its own process, its JSON and SVG read back. */
function runEval(dataset: string, out: string): Report {
  const json = path.join(out, 'report.json');
  const svg = path.join(out, 'report.svg');
  execFileSync(TSX, [path.join(repo, 'scripts/eval/evaluate.ts'), dataset, '--json', json, '--svg', svg], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const plot = fs.readFileSync(svg, 'utf8');
  expect(plot).toMatch(/^<svg[\s\S]*FROC[\s\S]*<\/svg>\s*$/);
  // The cluster curve's 95 % band is shaded behind it.
  expect(plot).toMatch(/<polygon fill="#c0392b" fill-opacity="0.15" stroke="none" points="[\d., ]+"\/>/);
  expect(plot).toContain('clusters (shaded: 95 % interval)');
  // Annotated circles (the mini-MIAS format) carry no speck counts, so no BI-RADS curve there.
  if (!fs.existsSync(path.join(dataset, 'annotations.csv'))) expect(fs.readFileSync(svg, 'utf8')).toContain('BI-RADS clusters (≥ 3 specks, not regional/diffuse)');
  return JSON.parse(fs.readFileSync(json, 'utf8')) as Report;
}

describe('npm run eval (scripts/eval/evaluate.ts)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-eval-'));
  // The synthetic study's report, kept for the comparison test.
  const syntheticReport = path.join(dir, 'synthetic-report.json');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('scores a synthetic study against its ground truth: every mark, its hits and the FROC agree', async () => {
    const data = path.join(dir, 'synthetic');
    const written = await writeEvaluationStudy(path.join(data, 's1'));
    const report = runEval(data, dir);

    expect(report.algorithm).toEqual(ALGORITHM_IDENTITY);
    expect(report.images).toMatchObject({ total: 4, analysed: 4, failed: 0 });
    const truths = new Map(
      written.map((w) => [
        path.join('s1', path.basename(w.path)),
        JSON.parse(fs.readFileSync(w.truthPath, 'utf8')) as GroundTruth,
      ]),
    );
    expect(report.perImage.map((p) => p.id).sort()).toEqual([...truths.keys()].sort());
    expect(report.clusterFroc.trueClusters).toBe(
      [...truths.values()].reduce((n, t) => n + t.clusters.length, 0),
    );

    // The BI-RADS cluster FROC: its targets are the true groups of at least 3 specks that are not regional or diffuse.
    const biradsIds = new Set(
      [...truths].flatMap(([id, t]) =>
        t.clusters
          .filter((k) => t.specks.filter((s) => s.clusterId === k.id).length >= 3 && k.distribution !== 'regional' && k.distribution !== 'diffuse')
          .map((k) => `${id}#${k.id}`),
      ),
    );
    expect(report.clusterFroc.biradsClusters.trueClusters).toBe(biradsIds.size);
    expect(report.clusterFroc.biradsClusters.visible.trueClusters).toBeLessThanOrEqual(biradsIds.size);

    const hitClusters = new Set<string>();
    for (const image of report.perImage) {
      const truth = truths.get(image.id) as GroundTruth;
      expect(image.trueClusters).toBe(truth.clusters.length);
      expect(image.marks).toHaveLength(image.reported);
      expect(image.falseClusters).toBe(image.marks.filter((m) => m.hits.length === 0).length);
      for (const mark of image.marks) {
        expect(mark.x >= 0 && mark.x < truth.columns && mark.y >= 0 && mark.y < truth.rows).toBe(true);
        expect(mark.score >= 0 && mark.score <= 1 && mark.malignancy >= 0 && mark.malignancy <= 1).toBe(true);
        for (const hit of mark.hits) {
          // A hit names a cluster of this image, and the mark's centre lies within that cluster's outline's box.
          const cluster = truth.clusters.find((k) => hit === `${image.id}#${k.id}`);
          expect(cluster).toBeDefined();
          const xs = cluster!.outline.map((p) => p.x);
          const ys = cluster!.outline.map((p) => p.y);
          expect(
            mark.x >= Math.min(...xs) - 1 &&
              mark.x <= Math.max(...xs) + 1 &&
              mark.y >= Math.min(...ys) - 1 &&
              mark.y <= Math.max(...ys) + 1,
          ).toBe(true);
          hitClusters.add(hit);
        }
      }
    }
    // 0.3.12 finds 3 of the 10 clusters of this small study (seed 4243 since the generator follows LESIONS.md's malignant
    // shares; 4242 now holds 5 faint ones, none found), so the checks above are not vacuous.
    expect(hitClusters.size).toBeGreaterThan(0);
    // With at most 2 false clusters per image allowed, every mark counts: the sensitivity there is the share of true clusters hit.
    const falseMarks = report.perImage.reduce((n, p) => n + p.falseClusters, 0);
    expect(falseMarks).toBeLessThanOrEqual(2 * 4);
    // Marks in other true groups are left out of the BI-RADS FROC, so at 2 false clusters per image it is the share of BI-RADS clusters hit.
    if (biradsIds.size > 0)
      expect(report.clusterFroc.biradsClusters.sensitivityAtFalseClustersPerImage['2']).toBeCloseTo(
        [...hitClusters].filter((id) => biradsIds.has(id)).length / biradsIds.size,
        10,
      );
    expect(report.clusterFroc.sensitivityAtFalseClustersPerImage['2']).toBeCloseTo(
      hitClusters.size / report.clusterFroc.trueClusters,
      10,
    );
    // Every reported cluster is a candidate, so the candidates hit at least the clusters it found;
    // the floor drops some, so there are at least as many false candidates as false reported clusters.
    const { candidateCeiling } = report.clusterFroc;
    expect(candidateCeiling.sensitivity).toBeGreaterThanOrEqual(hitClusters.size / report.clusterFroc.trueClusters);
    expect(candidateCeiling.sensitivity).toBeLessThanOrEqual(1);
    expect(Math.round(candidateCeiling.falseCandidatesPerImage * report.perImage.length)).toBeGreaterThanOrEqual(falseMarks);
    // The same for the visible clusters alone (null where the study has none).
    const { visible } = report.clusterFroc;
    if (visible.trueClusters > 0) {
      expect(visible.candidateCeiling).toBeGreaterThanOrEqual(visible.sensitivityAtFalseClustersPerImage['2']);
      expect(visible.candidateCeiling).toBeLessThanOrEqual(1);
    } else expect(visible.candidateCeiling).toBeNull();
    // Every found cluster falls in one reliability bin of its P(malignant).
    const { foundClusters, calibration } = report.malignancy.perCluster;
    expect(foundClusters).toBe(hitClusters.size);
    expect(calibration.bins.reduce((n, b) => n + b.clusters, 0)).toBe(foundClusters);
    expect(calibration.brier).toBeGreaterThanOrEqual(0);
    // The sweep a site picks its operating point from: every found cluster at every cut, and the reported point is one of them.
    const { byCut } = report.malignancy.perCluster;
    expect(byCut.map((c) => c.cut)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    for (const c of byCut) expect(c.tp + c.fn + c.tn + c.fp).toBe(foundClusters);
    expect(byCut.map((c) => c.tp)).toEqual([...byCut.map((c) => c.tp)].sort((a, b) => b - a));
    const atOperatingPoint = byCut.find((c) => c.cut === report.malignancy.operatingPoint)!;
    expect(atOperatingPoint.sensitivity).toBe(report.malignancy.perCluster.sensitivity);
    // Every true speck of at least 0.2 mm and CNR 1.5 lands in one CNR band.
    const bands = report.speckFroc?.atThresholdByCnr ?? [];
    expect(bands.map((b) => b.cnr)).toEqual(['1.5-3', '3-4.5', '4.5-7', '7+']);
    const banded = [...truths.values()].flatMap((t) => t.specks).filter((s) => s.diameterMm >= 0.2 && s.cnr >= 1.5);
    expect(bands.reduce((n, b) => n + b.specks, 0)).toBe(banded.length);
    expect(bands[3].specks).toBe(banded.filter((s) => s.cnr >= 7).length);
    // Each image's target-speck marks (for eval:compare) add up to the report's per-speck FROC: at 2 false marks per image, every mark counts.
    const speckImages = report.perImage.map((p) => p.speckFroc!);
    const targetSpecks = report.speckFroc!.atLeast0p2mmCnr3.specks;
    expect(speckImages.reduce((n, f) => n + f.targetSpecks, 0)).toBe(targetSpecks);
    const specksHit = new Set(report.perImage.flatMap((p) => p.speckFroc!.marks.flatMap((m) => m.hits.map((i) => `${p.id}#${i}`))));
    const falseSpeckMarks = speckImages.reduce((n, f) => n + f.marks.filter((m) => m.hits.length === 0).length, 0);
    if (falseSpeckMarks <= 2 * 4) expect(report.speckFroc!.atLeast0p2mmCnr3.sensitivityAtFalseMarksPerImage['2']).toBeCloseTo(specksHit.size / targetSpecks, 10);
    expect(specksHit.size).toBeGreaterThan(0);

    // Intervals over the study's two breasts hold their point values; each image names its breast.
    expect(report.perImage.map((p) => p.breast).sort()).toEqual(['s1-L', 's1-L', 's1-R', 's1-R']);
    const ci = report.confidenceIntervals;
    expect(ci.breasts).toBe(2);
    for (const rate of ['0.25', '0.5', '1', '2']) {
      const [lo, hi] = ci.clusterSensitivityAtFalseClustersPerImage[rate]!;
      const point = report.clusterFroc.sensitivityAtFalseClustersPerImage[rate];
      expect(lo <= point && point <= hi && 0 <= lo && hi <= 1).toBe(true);
    }
    expect(ci.visibleClusterSensitivityAtFalseClustersPerImage).not.toBeNull();
    expect(ci.speckSensitivityAtFalseMarksPerImage).not.toBeNull();
    fs.copyFileSync(path.join(dir, 'report.json'), syntheticReport);
  }, 120_000);

  it('eval:compare pairs two reports of the same images: no gain against itself, a lost cluster named, other images refused', () => {
    const report = JSON.parse(fs.readFileSync(syntheticReport, 'utf8')) as Report;
    const compare = (a: string, b: string) =>
      execFileSync(TSX, [path.join(repo, 'scripts/eval/compareEvaluations.ts'), a, b], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const same = compare(syntheticReport, syntheticReport);
    expect(same).toMatch(/^2 +\| (\d\.\d\d) +\| \1 +\| \+0\.00 \[0\.00, 0\.00\]$/m);
    const specks = report.speckFroc!.atLeast0p2mmCnr3.specks;
    expect(same).toMatch(new RegExp(`^per speck \\(${specks} specks ≥ 0\\.2 mm at CNR ≥ 3\\)\nfalse marks per image +\\| baseline \\| candidate \\| gain \\[95 % interval\\]\n0\\.25 +\\| (\\d\\.\\d\\d) +\\| \\1 +\\| \\+0\\.00 \\[0\\.00, 0\\.00\\]$`, 'm'));
    expect(same).toMatch(/paired percentile bootstrap over breasts, 2 units/);
    const found = report.malignancy.clusters.length;
    expect(same).toContain(`malignancy AUC on the ${found} true clusters both find`);
    const ceiling = (report.clusterFroc.candidateCeiling.sensitivity as number).toFixed(2);
    const visibleCeiling = report.clusterFroc.visible.candidateCeiling;
    const visibleText = visibleCeiling === null ? 'not in the report' : visibleCeiling.toFixed(2);
    expect(same).toContain(`clusters any candidate hits, reported or not: ${ceiling} → ${ceiling}; visible ones: ${visibleText} → ${visibleText}`);

    // The candidate misses one cluster the baseline found: its mark becomes a false one.
    const image = report.perImage.find((p) => p.marks.some((m) => m.hits.length > 0))!;
    const mark = image.marks.find((m) => m.hits.length > 0)!;
    const lost = mark.hits[0];
    for (const p of report.perImage) for (const m of p.marks) m.hits = m.hits.filter((h) => h !== lost);
    report.malignancy.clusters = report.malignancy.clusters.filter((k) => k.id !== lost);
    // and every speck it found in one image: those marks become false ones.
    const specked = report.perImage.find((p) => p.speckFroc!.marks.some((m) => m.hits.length > 0))!;
    for (const m of specked.speckFroc!.marks) m.hits = [];
    const worse = path.join(dir, 'worse.json');
    fs.writeFileSync(worse, JSON.stringify(report));
    const compared = compare(syntheticReport, worse);
    expect(compared).toContain(`found only by the baseline (1): ${lost}`);
    expect(compared).toContain(`malignancy AUC on the ${found - 1} true clusters both find`);
    expect(compared).toMatch(/^reported +\| \d\.\d\d +\| \d\.\d\d +\| -0\.\d\d \[-0\.\d\d, -?0\.00\]$/m);
    expect(compared).toMatch(/^per speck[^\n]*\n[^\n]*\n(?:[^\n]*\n){3}2 +\| \d\.\d\d +\| \d\.\d\d +\| -0\.\d\d \[-0\.\d\d, -?0\.\d\d\]$/m);

    // A report of the same images without speck marks (written before 0.3.16): clusters still compared, specks not.
    const older = path.join(dir, 'older.json');
    fs.writeFileSync(older, JSON.stringify({ ...report, perImage: report.perImage.map(({ speckFroc: _, ...p }) => p) }));
    const olderText = compare(syntheticReport, older);
    expect(olderText).toContain('per speck: not compared: 0 images of the baseline and 4 of the candidate hold no speck marks');
    // (written before 2026-12-06, a report gives no candidate ceiling)
    const noCeiling = path.join(dir, 'no-ceiling.json');
    fs.writeFileSync(noCeiling, JSON.stringify({ ...report, clusterFroc: {} }));
    expect(compare(noCeiling, syntheticReport)).toContain(
      `clusters any candidate hits, reported or not: not in the report → ${ceiling}; visible ones: not in the report → ${visibleText}`,
    );

    // A report of other images (one left out) is not a paired comparison.
    report.perImage = report.perImage.filter((p) => p.id !== image.id);
    const fewer = path.join(dir, 'fewer.json');
    fs.writeFileSync(fewer, JSON.stringify(report));
    let failure: { status: number; stderr: string } | undefined;
    try {
      compare(syntheticReport, fewer);
    } catch (e) {
      failure = e as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stderr).toContain(`the reports are not of the same images: 1 only in the baseline (${image.id}), 0 only in the candidate`);
  }, 60_000);

  it('leaves out marks at real findings the truth lists as unlabelled: neither hits nor false, and counted per image', () => {
    const report = JSON.parse(fs.readFileSync(syntheticReport, 'utf8')) as Report;
    // A found cluster the truth forgets and lists as an unlabelled place instead, as a reference image's own calcifications.
    const image = report.perImage.find((p) => p.marks.some((m) => m.hits.length > 0))!;
    const forgotten = image.marks.find((m) => m.hits.length > 0)!.hits[0];
    const truth = JSON.parse(fs.readFileSync(path.join(dir, 'synthetic', image.id.replace(/\.dcm$/, '.truth.json')), 'utf8')) as GroundTruth;
    const cluster = truth.clusters.find((k) => forgotten === `${image.id}#${k.id}`)!;
    const spacing = truth.pixelSpacingMm[1];
    const radiusPx = Math.max(...cluster.outline.map((p) => Math.hypot(p.x - cluster.center.x, p.y - cluster.center.y))) + 1 / spacing;
    const data = path.join(dir, 'unlabelled');
    fs.mkdirSync(path.join(data, 's1'), { recursive: true });
    fs.copyFileSync(path.join(dir, 'synthetic', image.id), path.join(data, image.id));
    const forgottenSpecks = new Set(truth.specks.flatMap((s, i) => (s.clusterId === cluster.id ? [i] : [])));
    const remaining = truth.specks.filter((_, i) => !forgottenSpecks.has(i));
    fs.writeFileSync(
      path.join(data, image.id.replace(/\.dcm$/, '.truth.json')),
      JSON.stringify({
        ...truth,
        clusters: truth.clusters.filter((k) => k !== cluster),
        specks: remaining,
        unlabelled: [{ center: cluster.center, radiusMm: radiusPx * spacing, what: 'the forgotten cluster' }],
      }),
    );
    const out = path.join(dir, 'unlabelled-report');
    fs.mkdirSync(out);
    const [again] = runEval(data, out).perImage as (Report['perImage'][number] & { unscoredMarks: { clusters: number; specks: number } })[];

    // The marks on it are gone, not false; every other mark is as before.
    const inside = (m: Mark) => Math.hypot(m.x - cluster.center.x, m.y - cluster.center.y) <= radiusPx;
    const kept = image.marks.filter((m) => !(inside(m) && m.hits.every((h) => h === forgotten)));
    expect(again.marks).toEqual(kept.map((m) => ({ ...m, hits: m.hits.filter((h) => h !== forgotten) })));
    expect(again.falseClusters).toBe(kept.filter((m) => m.hits.length === 0).length);
    expect(again.unscoredMarks.clusters).toBe(image.marks.length - kept.length);
    expect(again.unscoredMarks.clusters).toBeGreaterThan(0);
    // Speck marks on its specks are left out too; no mark became false.
    const speckMarks = image.speckFroc!.marks;
    const onForgotten = speckMarks.filter((m) => m.hits.length > 0 && m.hits.every((i) => forgottenSpecks.has(i))).length;
    expect(onForgotten).toBeGreaterThan(0);
    expect(again.unscoredMarks.specks).toBeGreaterThanOrEqual(onForgotten);
    const falseSpecks = (marks: { hits: number[] }[]) => marks.filter((m) => m.hits.length === 0).length;
    expect(falseSpecks(again.speckFroc!.marks)).toBeLessThanOrEqual(falseSpecks(speckMarks));
    expect(again.speckFroc!.targetSpecks).toBe(image.speckFroc!.targetSpecks - truth.specks.filter((s, i) => forgottenSpecks.has(i) && s.diameterMm >= 0.2 && s.cnr >= 3).length);
  }, 60_000);

  it("scores a site's own DICOM images listed in the mini-MIAS annotation format, with breasts named in its breast column", async () => {
    const written = await writeEvaluationStudy(path.join(dir, 'site-source', 's1'));
    // Each true cluster as the circle around its outline, in the image's own pixels from the top, as a site would mark it.
    const data = path.join(dir, 'site');
    fs.mkdirSync(path.join(data, 'images'), { recursive: true });
    const rows = ['refnum,bg,abn_class,severity,x,row_top_origin,radius,breast'];
    const circles = new Map<string, { x: number; y: number; r: number }[]>();
    for (const [i, w] of written.entries()) {
      const ref = `case${i + 1}`;
      fs.copyFileSync(w.path, path.join(data, 'images', `${ref}.dcm`));
      const truth = JSON.parse(fs.readFileSync(w.truthPath, 'utf8')) as GroundTruth;
      const breast = `exam1-${truth.laterality}`;
      if (truth.clusters.length === 0) rows.push(`${ref},F,NORM,,,,,${breast}`);
      const mine = truth.clusters.map((k) => {
        const x = k.outline.reduce((n, p) => n + p.x, 0) / k.outline.length;
        const y = k.outline.reduce((n, p) => n + p.y, 0) / k.outline.length;
        const r = Math.max(...k.outline.map((p) => Math.hypot(p.x - x, p.y - y)));
        rows.push(`${ref},F,CALC,${k.pathology === 'malignant' ? 'M' : 'B'},${x.toFixed(1)},${y.toFixed(1)},${r.toFixed(1)},${breast}`);
        return { x, y, r };
      });
      circles.set(ref, mine);
    }
    fs.writeFileSync(path.join(data, 'annotations.csv'), rows.join('\n') + '\n');

    const report = runEval(data, dir);
    expect(report.format).toBe('mini-MIAS');
    expect(report.images).toMatchObject({ total: 4, analysed: 4, failed: 0 });
    expect(report.clusterFroc.trueClusters).toBe([...circles.values()].reduce((n, c) => n + c.length, 0));
    // Two CC/MLO pairs: the breast column, not the file, names the breast.
    expect(report.malignancy.perBreast.breasts).toBe(2);
    let hits = 0;
    for (const image of report.perImage) {
      for (const mark of image.marks) {
        // A mark hits exactly the circles (in its own pixel grid, floored at 2 mm = 20 px) that hold its centre.
        const holding = circles
          .get(image.id)!
          .map((c, k) => ({ ...c, id: `${image.id}#${k + 1}` }))
          .filter((c) => Math.hypot(mark.x - c.x, mark.y - c.y) <= Math.max(c.r, 20));
        expect(mark.hits.sort()).toEqual(holding.map((c) => c.id).sort());
        hits += mark.hits.length;
      }
    }
    // The synthetic format of the same study finds 3 of its 10 clusters (above); circles are no smaller than outlines.
    expect(hits).toBeGreaterThanOrEqual(3);
  }, 120_000);

  (fs.existsSync(MINI_MIAS) ? it : it.skip)(
    'reads the mini-MIAS annotations with their bottom-left origin turned to rows from the top',
    () => {
      // A subset: mdb211 (malignant cluster at x 680, 327 from the bottom = row 697), mdb212 (benign, row 142) and a normal.
      const data = path.join(dir, 'mias');
      fs.mkdirSync(path.join(data, 'images'), { recursive: true });
      const lines = fs.readFileSync(path.join(MINI_MIAS, 'annotations.csv'), 'utf8').trim().split(/\r?\n/);
      const keep = ['mdb211', 'mdb212', 'mdb006'];
      fs.writeFileSync(
        path.join(data, 'annotations.csv'),
        [lines[0], ...lines.filter((l) => keep.includes(l.split(',')[0]))].join('\n') + '\n',
      );
      for (const ref of keep)
        fs.symlinkSync(path.join(MINI_MIAS, 'images', `${ref}.png`), path.join(data, 'images', `${ref}.png`));

      const report = runEval(data, dir);
      expect(report.images).toMatchObject({ total: 3, analysed: 3, failed: 0 });
      expect(report.clusterFroc.trueClusters).toBe(2);
      const byId = new Map(report.perImage.map((p) => [p.id, p]));
      expect(byId.get('mdb006')?.trueClusters).toBe(0);
      expect(byId.get('mdb006')?.falseClusters).toBe(byId.get('mdb006')?.reported);
      const mdb211 = byId.get('mdb211')!;
      expect(mdb211.trueClusters).toBe(1);
      // The annotated circle (radius 13 px, floored at 2 mm = 10 px at 200 µm) holds every mark that hits it.
      for (const m of mdb211.marks.filter((k) => k.hits.length > 0)) {
        expect(m.hits).toEqual(['mdb211#1']);
        expect(Math.hypot(m.x - 680, m.y - 697)).toBeLessThanOrEqual(13);
      }
      // Since 0.3.2 the cluster of mdb211 is found; it hangs on a third speck near the threshold, so a new detector may lose it.
      expect(mdb211.marks.some((m) => m.hits.length > 0)).toBe(true);
    },
    120_000,
  );
});
