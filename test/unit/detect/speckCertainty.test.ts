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
  speckCertainty,
  speckCertaintyFeatures,
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
        const lone = speckCertainty(model, { score: peak }, undefined);
        const weak = speckCertainty(model, { score: peak }, { probability: 0.45, floor: 0.407 });
        const strong = speckCertainty(model, { score: peak }, { probability: 0.95, floor: 0.407 });
        expect(lone).toBeLessThan(weak);
        expect(weak).toBeLessThan(strong);
      }
      // A lone mark at the speck threshold is mostly tissue in the training studies.
      expect(speckCertainty(model, { score: 0.8 }, undefined)).toBeLessThan(0.2);
    },
  );

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
    const staged = {
      ...fine,
      features: [...fine.features, 'stageLogit'],
      means: [...fine.means, 0],
      scales: [...fine.scales, 1],
      weights: [...fine.weights, 0.5],
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
      JSON.stringify({ ...fine, stage: { file: 'stage.onnx' } }),
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
    fs.writeFileSync(file, JSON.stringify({ ...fine, features: ['peakLogit', 'member'] }));
    expect(() => loadSpeckCertaintyModel(file)).toThrow(
      `speck certainty (${file}) model does not match this code's features (peakLogit, member, memberMarginLogit)`,
    );
    fs.rmSync(path.dirname(file), { recursive: true });
  });
});
