import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  SPECK_CERTAINTY_COARSE_MODEL_FILE,
  SPECK_CERTAINTY_MODEL_FILE,
} from '../../../src/detect/algorithmIdentity';
import { speckCertaintyFor } from '../../../src/detect/detectionRuntime';
import { DEFAULT_DETECTION_PARAMETERS } from '../../../src/detect/detectionParameters';
import {
  loadSpeckCertaintyModel,
  SPECK_CERTAINTY_FEATURE_NAMES,
  speckCertainty,
  speckCertaintyFeatures,
  STAGE_FEATURE_NAME,
} from '../../../src/detect/speckCertainty';

const MODELS = path.join(__dirname, '../../../models');
const fine = loadSpeckCertaintyModel(path.join(MODELS, SPECK_CERTAINTY_MODEL_FILE));
const coarse = loadSpeckCertaintyModel(path.join(MODELS, SPECK_CERTAINTY_COARSE_MODEL_FILE));

describe('speck certainty', () => {
  it('reads the peak as a logit, membership as 0/1 and the cluster by how far above its floor it was kept', () => {
    expect(speckCertaintyFeatures(0.5, undefined)).toEqual([0, 0, 0]);
    const [peak, member, margin] = speckCertaintyFeatures(0.9, { probability: 0.9, floor: 0.5 });
    expect(peak).toBeCloseTo(Math.log(9), 12);
    expect(member).toBe(1);
    expect(margin).toBeCloseTo(Math.log(9), 12);
    // A saturated heatmap or reducer gives a large finite logit, not Infinity.
    expect(speckCertaintyFeatures(1, { probability: 1, floor: 0.4 }).every(Number.isFinite)).toBe(true);
  });

  it.each([
    ['digital', fine],
    ['film', coarse],
  ])(
    'the committed %s model: a member is surer than a lone speck of the same peak, and surer in a surer cluster',
    (_name, model) => {
      for (const peak of [0.8, 0.9, 0.99]) {
        // An undecided stage (logit 0 from each network) where the model reads one.
        const speck = { score: peak, stageLogits: [0, 0] };
        const lone = speckCertainty(model, speck, undefined);
        const weak = speckCertainty(model, speck, { probability: 0.45, floor: 0.407 });
        const strong = speckCertainty(model, speck, { probability: 0.95, floor: 0.407 });
        expect(lone).toBeLessThan(weak);
        expect(weak).toBeLessThan(strong);
      }
      // A lone mark at the speck threshold is mostly tissue in the training studies.
      expect(speckCertainty(model, { score: 0.8, stageLogits: [0, 0] }, undefined)).toBeLessThan(0.2);
    },
  );

  it('the committed digital model reads the committed speck stage; the film model reads none', () => {
    expect(fine.features).toEqual([...SPECK_CERTAINTY_FEATURE_NAMES, STAGE_FEATURE_NAME]);
    expect(fs.existsSync(path.join(MODELS, fine.stage?.file ?? 'none'))).toBe(true);
    expect(coarse.stage).toBeUndefined();
  });

  it('digitised film has its own model, chosen as the reducers are (coarser than coarseSpacingMm)', () => {
    const models = { fine, coarse };
    expect(speckCertaintyFor(models, DEFAULT_DETECTION_PARAMETERS, { originalSpacingMm: [0.07, 0.07] })).toBe(
      fine,
    );
    expect(speckCertaintyFor(models, DEFAULT_DETECTION_PARAMETERS, { originalSpacingMm: [0.2, 0.2] })).toBe(
      coarse,
    );
  });

  it("a model that names a speck stage reads the mean of its networks' logits as a fourth input", () => {
    // The film model (three inputs) with a stage input added.
    const staged = {
      ...coarse,
      features: [...coarse.features, 'stageLogit'],
      means: [...coarse.means, 0],
      scales: [...coarse.scales, 1],
      weights: [...coarse.weights, 0.5],
      stage: { file: 'stage.onnx' },
    };
    expect(speckCertaintyFeatures(0.5, undefined, -1.5)).toEqual([0, 0, 0, -1.5]);
    const withMean = speckCertainty(staged, { score: 0.9, stageLogits: [1, 3] }, undefined);
    expect(withMean).toBeCloseTo(speckCertainty(staged, { score: 0.9, stageLogits: [2] }, undefined), 12);
    expect(withMean).toBeGreaterThan(speckCertainty(staged, { score: 0.9, stageLogits: [0] }, undefined));
    expect(() => speckCertainty(staged, { score: 0.9 }, undefined)).toThrow('not scored by it');
    // Loading checks the fourth feature's name, and that the stage names a file.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-certainty-'));
    fs.writeFileSync(path.join(dir, 'ok.json'), JSON.stringify(staged));
    expect(loadSpeckCertaintyModel(path.join(dir, 'ok.json')).stage).toEqual({ file: 'stage.onnx' });
    fs.writeFileSync(
      path.join(dir, 'noStageInput.json'),
      JSON.stringify({ ...coarse, stage: { file: 'stage.onnx' } }),
    );
    expect(() => loadSpeckCertaintyModel(path.join(dir, 'noStageInput.json'))).toThrow(
      'memberMarginLogit, stageLogit',
    );
    fs.writeFileSync(path.join(dir, 'noFile.json'), JSON.stringify({ ...staged, stage: {} }));
    expect(() => loadSpeckCertaintyModel(path.join(dir, 'noFile.json'))).toThrow(
      'its "stage" entry needs a file name',
    );
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses a model file of other features, naming the file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-certainty-')), 'other.json');
    fs.writeFileSync(file, JSON.stringify({ ...coarse, features: ['peakLogit', 'member'] }));
    expect(() => loadSpeckCertaintyModel(file)).toThrow(
      `speck certainty (${file}) model does not match this code's features (peakLogit, member, memberMarginLogit)`,
    );
    fs.rmSync(path.dirname(file), { recursive: true });
  });
});
