import path from 'node:path';
import { logisticProbability, sigmoid } from '../../../src/classify/logisticModel';
import { CLUSTER_FILTER_MODEL_FILE } from '../../../src/detect/algorithmIdentity';
import { clusterFilterFloor, clusterFilterProbability, clusterFilterVector, checkClusterFilterModel, loadClusterFilterModel } from '../../../src/detect/clusterFilter';
import type { ClusterFilterFeatures } from '../../../src/detect/clusterFilterFeatures';
import { blendWithStage, memberStageLogit } from '../../../src/detect/clusterStageBlend';
import { blendedScore, fitStageBlend, floorAtRate, rateMatchedFloor, type BlendCandidate } from '../../../scripts/train/clusterStageBlendFit';

const committed = loadClusterFilterModel(path.join(__dirname, '../../../models', CLUSTER_FILTER_MODEL_FILE));
const { stage: _committedBlend, ...reducerAlone } = committed;
// A candidate at the reducer's feature means: its log-odds are the model's calibrated bias.
const features = Object.fromEntries(committed.features.map((name, i) => [name, committed.means[i]])) as unknown as ClusterFilterFeatures;
const blend = { reducerWeight: 0.8, stageWeight: 0.5, bias: -1, floor: 0.3, training: {} };

describe('the speck stage blended into the cluster reducer', () => {
  it('is the reducer alone without a blend, and σ(a·z + b·m + c) of its log-odds with one', () => {
    const alone = clusterFilterProbability(reducerAlone, features);
    expect(alone).toBeCloseTo(logisticProbability(reducerAlone, clusterFilterVector(features)), 12);
    const z = Math.log(alone / (1 - alone));
    expect(clusterFilterProbability({ ...reducerAlone, stage: blend }, features, undefined, 2)).toBeCloseTo(sigmoid(0.8 * z + 0.5 * 2 - 1), 12);
    expect(blendWithStage(blend, z, 2)).toBeCloseTo(sigmoid(0.8 * z + 1 - 1), 12);
    // Surer specks raise the cluster; without their logits there is no score.
    expect(clusterFilterProbability({ ...reducerAlone, stage: blend }, features, undefined, 4)).toBeGreaterThan(
      clusterFilterProbability({ ...reducerAlone, stage: blend }, features, undefined, -4),
    );
    expect(() => clusterFilterProbability({ ...reducerAlone, stage: blend }, features)).toThrow(/stage logit/);
  });

  it("uses the blend's floor where there is one, and refuses a blend without a usable floor", () => {
    expect(clusterFilterFloor(reducerAlone)).toBe(reducerAlone.training.floor);
    expect(clusterFilterFloor({ ...reducerAlone, stage: blend })).toBe(0.3);
    expect(() => checkClusterFilterModel({ ...reducerAlone, stage: { ...blend, floor: 1.2 } })).toThrow(/floor in \(0, 1\)/);
  });

  it("averages each speck's mean logit over the candidate, and says when a speck was not scored", () => {
    expect(memberStageLogit([{ stageLogits: [1, 3] }, { stageLogits: [-2, 0] }])).toBe(0.5);
    expect(() => memberStageLogit([{ stageLogits: [1, 3] }, {}])).toThrow(/not scored/);
  });
});

describe('fitting the blend', () => {
  // True candidates have surer specks; the reducer's score says little.
  const rows: BlendCandidate[] = Array.from({ length: 200 }, (_, i) => {
    const isTrue = i % 4 === 0;
    return { image: `im${i % 20}`, reducer: 0.2 + 0.6 * ((i * 37) % 100) / 100, stage: (isTrue ? 2 : -2) + (((i * 53) % 100) / 100 - 0.5) * 3, hits: isTrue ? [`t${i}`] : [] };
  });

  it('weighs the stage when it tells true candidates apart', () => {
    const fit = fitStageBlend(rows);
    expect(fit.stageWeight).toBeGreaterThan(0.5);
    expect(Math.abs(fit.reducerWeight)).toBeLessThan(fit.stageWeight);
    const trueMean = rows.filter((r) => r.hits.length).reduce((s, r) => s + blendedScore(fit, r), 0) / 50;
    const falseMean = rows.filter((r) => !r.hits.length).reduce((s, r) => s + blendedScore(fit, r), 0) / 150;
    expect(trueMean).toBeGreaterThan(falseMean + 0.3);
  });

  it("puts the floor where the blend passes as many false candidates as the reducer at its floor", () => {
    const fit = fitStageBlend(rows);
    const { floor, falsePerImage } = rateMatchedFloor(rows, 20, fit, 0.6);
    const reducerFalse = rows.filter((r) => !r.hits.length && r.reducer >= 0.6).length;
    expect(falsePerImage).toBe(reducerFalse / 20);
    expect(rows.filter((r) => !r.hits.length && blendedScore(fit, r) >= floor).length).toBe(reducerFalse);
  });

  it('puts the floor at a given rate of false candidates per image, whatever the reducer floor', () => {
    const fit = fitStageBlend(rows);
    const passed = (floor: number) => rows.filter((r) => !r.hits.length && blendedScore(fit, r) >= floor).length;
    expect(passed(floorAtRate(rows, 20, fit, 0.5))).toBe(10);
    expect(passed(floorAtRate(rows, 20, fit, 2))).toBe(40);
    expect(floorAtRate(rows, 20, fit, 0.5)).toBeGreaterThan(floorAtRate(rows, 20, fit, 2));
  });
});

describe('start-up', () => {
  it('refuses a reducer that blends in the speck stage when its images would get no stage logits', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const { configSchema } = await import('../../../src/config/schema');
    const { getDetectionRuntime } = await import('../../../src/detect/detectionRuntime');
    const { SPECK_CERTAINTY_MODEL_FILE, SPECK_CERTAINTY_COARSE_MODEL_FILE } = await import('../../../src/detect/algorithmIdentity');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-blend-'));
    try {
      const models = path.join(__dirname, '../../../models');
      for (const f of fs.readdirSync(models).filter((f) => f.endsWith('.json'))) fs.copyFileSync(path.join(models, f), path.join(dir, f));
      fs.writeFileSync(path.join(dir, CLUSTER_FILTER_MODEL_FILE), JSON.stringify({ ...reducerAlone, stage: blend }));
      // A digital certainty without the stage (the film one's inputs), so the worker would not run it.
      fs.copyFileSync(path.join(dir, SPECK_CERTAINTY_COARSE_MODEL_FILE), path.join(dir, SPECK_CERTAINTY_MODEL_FILE));
      await expect(getDetectionRuntime(configSchema.parse({ inference: { modelDir: dir } }))).rejects.toThrow(
        /digital cluster reducer blends in the speck stage, but its speck certainty names none/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
