import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticCases } from '../../../scripts/eval/evaluationCases';
import { computeBreastMask } from '../../../src/imaging/mask/breastMask';
import { loadPngImage } from '../../../src/imaging/pngImage';
import { prepareImage } from '../../../src/imaging/prepareImage';
import { writeRealTissueImage } from '../../../src/synth/realTissueImageWriter';
import { findBrightSpecks } from '../../../src/synth/tissue/brightSpecks';
import { ffdmSampleImages, miasNormalImages, REFERENCE_DATA_DIR } from '../../../src/synth/tissue/referenceImages';
import { realTissueScene } from '../../../src/synth/patches/realTissueScene';
import { TARGET } from '../../../src/synth/patches/patchScene';

const haveData = existsSync(REFERENCE_DATA_DIR);
if (!haveData) console.warn(`reference data not found at ${REFERENCE_DATA_DIR}: real-tissue tests skipped`);
const withData = haveData ? it : it.skip;

describe('bright speck finder', () => {
  it('finds a planted speck and nothing in smooth tissue', () => {
    const width = 64;
    const height = 64;
    const values = new Float32Array(width * height);
    for (let i = 0; i < values.length; i++) values[i] = 100 + ((i * 7919) % 13) / 13;
    values[30 * width + 20] += 40;
    const specks = findBrightSpecks(values, new Uint8Array(width * height).fill(1), width, height, 0.1);
    expect(specks).toEqual([{ x: 20.5, y: 30.5 }]);
  });
});

describe('real tissue sources', () => {
  withData('lists mini-MIAS normal images with a disjoint holdout split', () => {
    const train = miasNormalImages(false).map((i) => i.name);
    const holdout = miasNormalImages(true).map((i) => i.name);
    expect(train.length).toBeGreaterThan(50);
    expect(holdout.length).toBeGreaterThan(10);
    expect(train.filter((n) => holdout.includes(n))).toEqual([]);
    expect(ffdmSampleImages(false).map((i) => i.name)).toEqual(['0_L-CC', '0_L-MLO', '0_R-CC']);
  });

  withData('inserts specks into mini-MIAS tissue with targets and ignore labels', () => {
    const reference = miasNormalImages(false)[0];
    const scene = realTissueScene(reference, 4);
    expect(scene.tissue).toBe('mias');
    expect(scene.specks.length).toBeGreaterThan(3);
    const ones = scene.labels.filter((v) => v === TARGET.calcification).length;
    expect(ones).toBeGreaterThan(scene.specks.length);
    // Prepared on the 0.07 mm working grid: 1024 px at 0.2 mm become about 2926.
    expect(scene.prepared.width).toBeGreaterThan(2900);
    expect(scene.prepared.width).toBeLessThan(2950);
  });

  withData("the held-out FFDM view's truth lists its own real calcifications as unlabelled, inside the breast, which the evaluation reads as unscored circles", async () => {
    const [reference] = ffdmSampleImages(true);
    expect(reference.name).toBe('0_R-MLO');
    expect(reference.unlabelled.map((u) => u.radiusMm)).toEqual([10, 3, 3, 3, 3]);
    // The training views' dots, so the speck stage never learns them as tissue.
    expect(ffdmSampleImages(false).map((r) => [r.name, r.unlabelled.length])).toEqual([['0_L-CC', 0], ['0_L-MLO', 1], ['0_R-CC', 2]]);
    const out = mkdtempSync(join(tmpdir(), 'mammocad-real-tissue-'));
    try {
      const file = await writeRealTissueImage(reference, 201, out);
      const truth = JSON.parse(readFileSync(file.replace(/\.dcm$/, '.truth.json'), 'utf8'));
      expect(truth.unlabelled).toEqual(reference.unlabelled);
      // Not mirrored: each place lies in the breast of the written image, as in the PNG (x = column).
      for (const view of ffdmSampleImages(true).concat(ffdmSampleImages(false))) {
        const png = loadPngImage(view.path, { spacingMm: 0.1, laterality: view.laterality, viewCode: view.view });
        const { mask } = computeBreastMask(Float32Array.from(png.decoded.pixels), png.decoded.columns, png.decoded.rows);
        for (const u of view.unlabelled) expect([view.name, mask[u.center.y * png.decoded.columns + u.center.x]]).toEqual([view.name, 1]);
      }
      const [c] = syntheticCases(out);
      expect(c.unscored?.map((r) => Math.round(r.radius))).toEqual([100, 30, 30, 30, 30]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  withData('writes a mini-MIAS image with inserted clusters as DICOM + truth that the evaluation reads', async () => {
    const reference = miasNormalImages(false)[0];
    const out = mkdtempSync(join(tmpdir(), 'mammocad-real-tissue-'));
    try {
      const file = await writeRealTissueImage(reference, 31, out);
      expect(file).toBe(join(out, reference.name, `${reference.laterality}_MLO.dcm`));
      const truth = JSON.parse(readFileSync(file.replace(/\.dcm$/, '.truth.json'), 'utf8'));
      expect(truth.pixelSpacingMm).toEqual([0.2, 0.2]);
      expect(truth.tissue).toBe('mias');
      expect(truth.clusters.length).toBeGreaterThanOrEqual(1);
      expect(truth.specks.filter((s: { clusterId: number | null }) => s.clusterId !== null).length).toBeGreaterThan(truth.clusters.length);
      const prepared = await prepareImage(file, { workingSpacingMm: 0.07, defaultSpacingMm: 0.1 });
      if (!prepared.ok) throw new Error(prepared.reason);
      expect(prepared.image.width).toBeGreaterThan(2900);
      const [c] = syntheticCases(out);
      expect(c.id).toBe(`${reference.name}/${reference.laterality}_MLO.dcm`);
      expect(c.clusters.map((k) => k.pathology).sort()).toEqual(truth.clusters.map((k: { pathology: string }) => k.pathology).sort());
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
