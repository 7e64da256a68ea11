import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configSchema } from '../../../src/config/schema';
import { analyseImage, analysePreparedImage, analysePreparedImageInDetail } from '../../../src/detect/analyseImage';
import { speckCertainty } from '../../../src/detect/speckCertainty';
import { closeDetectionRuntimes, getDetectionRuntime } from '../../../src/detect/detectionRuntime';
import { summariseStudy } from '../../../src/detect/summariseStudy';
import { ALGORITHM_IDENTITY } from '../../../src/detect/algorithmIdentity';
import { syntheticPreparedImage, type DrawnCluster } from '../../../scripts/bench/syntheticWorkingImage';
import { REGION_FEATURE } from '../../../src/classify/classifyCluster';

const modelDir = path.join(__dirname, '../../../models');
const config = configSchema.parse({ inference: { modelDir, threads: 1 } });

/** Three clear clusters (10 specks each, 0.2-0.5 mm, CNR 8) in a 1400 x 1200 working image (98 x 84 mm). */
const KNOWN: DrawnCluster[] = [
  { center: { x: 300, y: 400 }, specks: 10, diameterMm: [0.2, 0.5], radiusMm: 3, cnr: 8 },
  { center: { x: 650, y: 700 }, specks: 10, diameterMm: [0.2, 0.5], radiusMm: 3, cnr: 8 },
  { center: { x: 400, y: 900 }, specks: 10, diameterMm: [0.2, 0.5], radiusMm: 3, cnr: 8 },
];
/** Floor for this fixed image (0.2.0 to 0.3.6 find all three and no false cluster; 0.1.0 was held to two of three
 * and at most one false cluster). Detection scores: above 0.9 up to 0.3.1, 0.89 and above in 0.3.2, whose reducer
 * is also fitted on film tissue, 0.83 and above in 0.3.3-0.3.4 (reducer refitted on specks split at their centres),
 * 0.78 and above in 0.3.5-0.3.8 (split at lower centre peaks, reducer refitted again), 0.77 and above since 0.3.9
 * (detector and reducer retrained); the floor is 0.32 (0.253 in 0.3.12, 0.191 in 0.3.6-0.3.8, 0.042 up to 0.3.5). */
const MIN_FOUND = 3;

afterAll(() => closeDetectionRuntimes());

describe('committed detector and classifier on fixed synthetic images', () => {
  it('the committed model gives a heatmap and a speck-centre map of the image size with probabilities', async () => {
    const runtime = await getDetectionRuntime(config);
    const { image } = syntheticPreparedImage({ width: 600, height: 520, seed: 3 });
    const result = await runtime.pool.detect(image, { threshold: 0.5, spacingMm: 0.07 }, { returnHeatmap: true });
    expect(result.heatmap).toHaveLength(600 * 520);
    const heat = result.heatmap as Float32Array;
    expect(heat.every((v) => v >= 0 && v <= 1)).toBe(true);
    // Since 0.3.3 the detector also says where speck centres are (at ½ resolution, as logits, since
    // 0.3.4); the default settings split at them.
    expect(runtime.pool.outputNames).toEqual(['heatmap', 'centre_logits']);
    expect(result.centres).toHaveLength(600 * 520);
    expect((result.centres as Float32Array).every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('finds the known clusters with outlines around them and no cluster on a blank fatty image', async () => {
    const runtime = await getDetectionRuntime(config);
    const { image } = syntheticPreparedImage({ width: 1400, height: 1200, seed: 11, clusters: KNOWN, laterality: 'R' });
    const findings = await analysePreparedImage(image, runtime);
    expect(findings.status).toBe('analysed');
    expect(findings.algorithm).toEqual(ALGORITHM_IDENTITY);
    const near = (c: { center: { x: number; y: number } }, k: DrawnCluster) => Math.hypot(c.center.x - k.center.x, c.center.y - k.center.y) < 3 / 0.07;
    const found = KNOWN.filter((k) => findings.clusters.some((c) => near(c, k)));
    expect(found.length).toBeGreaterThanOrEqual(MIN_FOUND);
    const falseClusters = findings.clusters.filter((c) => !KNOWN.some((k) => near(c, k)));
    expect(falseClusters).toEqual([]);
    for (const c of findings.clusters) expect(c.detectionScore).toBeGreaterThan(0.7);
    for (const c of findings.clusters) {
      expect(c.outline[0]).toEqual(c.outline[c.outline.length - 1]);
      expect(c.calcifications.length).toBeGreaterThanOrEqual(3);
      expect(c.malignancy).toBeGreaterThanOrEqual(0);
      expect(c.malignancy).toBeLessThanOrEqual(1);
      expect(c.morphology.length).toBeGreaterThan(0);
      expect(c.explanation.length).toBeGreaterThan(0);
      // Since 0.3.8 the cluster-region CNN ran on the cluster's window and has its share.
      expect(c.explanation.map((e) => e.feature)).toContain(REGION_FEATURE);
    }
    expect(findings.clusters.map((c) => c.index)).toEqual(findings.clusters.map((_, i) => i + 1));

    const blank = syntheticPreparedImage({ width: 1400, height: 1200, seed: 12, laterality: 'L' });
    const none = await analysePreparedImage(blank.image, runtime);
    expect(none.clusters).toEqual([]);
    expect(none.imageScore).toBe(0);

    const study = summariseStudy([findings, none]);
    expect(study.breastScores.L).toBe(0);
    expect(study.breastScores.R).toBe(findings.imageScore);
    expect(study.examScore).toBe(findings.imageScore);
  });

  it('scores every speck mark with its speck certainty: a member as its reported calcification, a lone speck as no member', async () => {
    const runtime = await getDetectionRuntime(config);
    const lone: DrawnCluster = { center: { x: 800, y: 450 }, specks: 1, diameterMm: [0.4, 0.4], radiusMm: 0.1, cnr: 8 };
    const { image } = syntheticPreparedImage({ width: 1400, height: 1200, seed: 11, clusters: [...KNOWN, lone], laterality: 'R' });
    const { findings, specks } = await analysePreparedImageInDetail(image, runtime);
    for (const s of specks) expect(s.score).toBe(speckCertainty(runtime.speckCertainty.fine, { ...s, score: s.peak }, s.cluster));
    // The members are exactly the reported calcifications, with the same score, each naming its cluster's score.
    const key = (p: { center: { x: number; y: number }; score: number }) => `${p.center.x},${p.center.y},${p.score}`;
    const members = specks.filter((s) => s.cluster);
    const reported = findings.clusters.flatMap((c) => c.calcifications.map((k) => ({ ...k, detectionScore: c.detectionScore })));
    expect(members.map(key).sort()).toEqual(reported.map(key).sort());
    for (const m of members) expect(reported.find((r) => key(r) === key(m))?.detectionScore).toBe(m.cluster?.probability);
    // This image's original grid is its working grid.
    const loneMark = specks.find((s) => Math.hypot(s.center.x - lone.center.x, s.center.y - lone.center.y) < 5);
    expect(loneMark).toBeDefined();
    expect(loneMark?.cluster).toBeUndefined();
  });

  it('the cluster-region CNN scores a varied dense cluster far above a few uniform round specks', async () => {
    const runtime = await getDetectionRuntime(config);
    const { image } = syntheticPreparedImage({
      width: 1000,
      height: 900,
      seed: 22,
      laterality: 'R',
      clusters: [
        { center: { x: 300, y: 300 }, specks: 5, diameterMm: [0.5, 0.6], radiusMm: 2, cnr: 8 },
        { center: { x: 350, y: 650 }, specks: 25, diameterMm: [0.1, 0.45], radiusMm: 3.5, cnr: 6 },
      ],
    });
    const findings = await analysePreparedImage(image, runtime);
    const at = (y: number) => findings.clusters.find((c) => Math.abs(c.center.y - y) < 40);
    const region = (c: ReturnType<typeof at>) => c?.explanation.find((e) => e.feature === REGION_FEATURE)?.value as number;
    const [benign, varied] = [at(300), at(650)];
    // 0.3.9: region logits -5.3 and 2.6, P(malignant) 0.02 and 0.74 (0.3.8: -6.5 and 2.9, 0.02 and 0.82).
    expect(region(varied) - region(benign)).toBeGreaterThan(5);
    expect(varied?.malignancy).toBeGreaterThan(0.5);
    expect(benign?.malignancy).toBeLessThan(0.1);
  });

  it('returns status failed with the reason for a file that is not an image, without throwing', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-detect-')), 'not-dicom.dcm');
    fs.writeFileSync(file, 'this is not DICOM');
    const findings = await analyseImage(file, config);
    expect(findings.status).toBe('failed');
    expect(findings.failureReason).toMatch(/not analysable/);
    expect(findings.clusters).toEqual([]);
  });

  it('rejects when inference itself fails (a fault of the node), so the job is retried instead of the image marked failed', async () => {
    const runtime = await getDetectionRuntime(config);
    const { image } = syntheticPreparedImage({ width: 600, height: 520, seed: 5 });
    await runtime.pool.close(); // as when its last worker thread died
    await expect(analysePreparedImage(image, runtime)).rejects.toThrow(/detector pool is closed/);
    // The next caller gets a fresh pool.
    expect((await analysePreparedImage(image, await getDetectionRuntime(config))).status).toBe('analysed');
  });
});
