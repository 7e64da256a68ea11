import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { configSchema } from '../../../src/config/schema';
import { analysePreparedImageInDetail } from '../../../src/detect/analyseImage';
import { SPECK_CERTAINTY_MODEL_FILE } from '../../../src/detect/algorithmIdentity';
import { DEFAULT_DETECTION_PARAMETERS } from '../../../src/detect/detectionParameters';
import { closeDetectionRuntimes, getDetectionRuntime } from '../../../src/detect/detectionRuntime';
import { loadSpeckCertaintyModel, speckCertainty } from '../../../src/detect/speckCertainty';
import { SPECK_CROP_CHANNELS, SPECK_CROP_PX } from '../../../src/detect/speckCrops';
import { syntheticCases } from '../../../scripts/eval/evaluationCases';
import type { DumpedMark, SpeckCropIndex } from '../../../scripts/train/speckCropDump';
import { writeEvaluationStudy } from '../../helpers/evaluationStudy';
import { describeWithTorch, PYTHON, TRAIN_SCRIPTS } from '../../helpers/trainingPython';

const ROOT = path.resolve(__dirname, '../../..');
const MODELS = path.join(ROOT, 'models');
const TSX = pathToFileURL(require.resolve('tsx')).href;

/** A TypeScript script of scripts/train in its own process; its stderr comes back on failure. */
function tsScript(name: string, args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', TSX, path.join(ROOT, 'scripts/train', name), ...args], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** The speck certainty that reads STAGE, fitted on the marks of one dump and validated on another's. */
function fitCertainty(stage: string, trainCrops: string, valCrops: string, out: string): string {
  return tsScript('trainSpeckCertainty.ts', [
    '--stage',
    stage,
    '--train-crops',
    trainCrops,
    '--val-crops',
    valCrops,
    '--out',
    out,
  ]);
}

afterAll(() => closeDetectionRuntimes());

describeWithTorch(
  'the speck stage: crop dump, train_speck_stage.py, the certainty that reads it, and the node running both',
  () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-speck-stage-'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    // Two studies (the same fixture twice), so that each of the two folds holds one.
    const data = path.join(dir, 'train');
    const config = path.join(dir, 'config.json');
    const dump = path.join(dir, 'dump');
    beforeAll(async () => {
      await writeEvaluationStudy(path.join(data, 's1'));
      await writeEvaluationStudy(path.join(data, 's2'));
      fs.writeFileSync(config, JSON.stringify({ inference: { modelDir: MODELS, threads: 1 } }));
      tsScript('speckStageCrops.ts', ['--train', data, '--out', dump, '--config', config]);
    }, 300_000);

    it('dumps the production marks with crops, trains one network per fold, fits the certainty out of fold, and the node scores every mark with it', async () => {
      const index = JSON.parse(fs.readFileSync(path.join(dump, 'index.json'), 'utf8')) as SpeckCropIndex;
      expect(index.studies.map((s) => s.key)).toEqual(['train/s1', 'train/s2']);
      const [s1, s2] = index.studies;
      // The same study twice gives the same marks; faint marks included, so more than the specks at the threshold.
      expect(s2.marks).toBe(s1.marks);
      expect(s1.onSpeck).toBeGreaterThan(0);
      expect(s1.onSpeck).toBeLessThan(s1.marks);
      expect(fs.statSync(path.join(dump, s1.crops)).size).toBe(
        s1.marks * SPECK_CROP_CHANNELS * SPECK_CROP_PX * SPECK_CROP_PX * 4,
      );
      const labels = fs.readFileSync(path.join(dump, s1.labels));
      expect(labels.reduce((n, v) => n + v, 0)).toBe(s1.onSpeck);
      const marks = JSON.parse(fs.readFileSync(path.join(dump, s1.markFile), 'utf8')) as DumpedMark[];
      expect(marks.some((m) => m.peak < DEFAULT_DETECTION_PARAMETERS.speckThreshold)).toBe(true);
      expect(new Set(marks.map((m) => m.image)).size).toBe(s1.images);
      expect(marks.every((m) => m.image.startsWith('s1/') && m.center.x > 0 && m.center.y > 0)).toBe(true);
      // A second run keeps what is there.
      expect(tsScript('speckStageCrops.ts', ['--train', data, '--out', dump, '--config', config])).toContain(
        '2 studies',
      );

      const modelDir = path.join(dir, 'models');
      fs.mkdirSync(modelDir);
      for (const f of fs.readdirSync(MODELS))
        if (f !== SPECK_CERTAINTY_MODEL_FILE) fs.symlinkSync(path.join(MODELS, f), path.join(modelDir, f));
      const stage = path.join(modelDir, 'stage.onnx');
      const trained = execFileSync(
        PYTHON,
        [
          path.join(TRAIN_SCRIPTS, 'train_speck_stage.py'),
          '--crops',
          dump,
          '--out',
          stage,
          '--max-steps',
          '3',
          '--batch',
          '16',
          '--threads',
          '1',
        ],
        {
          encoding: 'utf8',
        },
      );
      expect(trained).toContain('network 1: out-of-fold AUC');
      const record = JSON.parse(fs.readFileSync(path.join(modelDir, 'stage.training.json'), 'utf8')) as {
        parameters: number;
        networks: { trainedOn: string[] }[];
      };
      expect(record.parameters).toBe(88961);
      // Network k learns from the studies outside fold k (study i is in fold i mod 2).
      expect(record.networks.map((n) => n.trainedOn)).toEqual([['train/s2'], ['train/s1']]);

      const certaintyFile = path.join(modelDir, SPECK_CERTAINTY_MODEL_FILE);
      fitCertainty(stage, dump, dump, certaintyFile);
      const certainty = loadSpeckCertaintyModel(certaintyFile);
      expect(certainty.features).toEqual(['peakLogit', 'member', 'memberMarginLogit', 'stageLogit']);
      expect(certainty.stage).toEqual({ file: 'stage.onnx' });

      // The node with this model folder: the worker runs the stage on every speck, and evaluation's faint marks come too.
      const runtime = await getDetectionRuntime(configSchema.parse({ inference: { modelDir, threads: 1 } }));
      const [c] = syntheticCases(path.join(data, 's1'));
      const prepared = await c.prepare(configSchema.parse({}).imaging);
      if (!prepared.ok) throw new Error(prepared.reason);
      const plain = await analysePreparedImageInDetail(prepared.image, runtime);
      const detail = await analysePreparedImageInDetail(
        prepared.image,
        runtime,
        DEFAULT_DETECTION_PARAMETERS,
        performance.now(),
        { faintMarks: 'withStage' },
      );
      // Faint marks are marks only: the clusters are built from the specks at the threshold.
      expect(detail.findings.clusters).toEqual(plain.findings.clusters);
      expect(detail.specks.length).toBeGreaterThan(plain.specks.length);
      for (const s of detail.specks) {
        expect(s.stageLogits).toHaveLength(2);
        expect(s.score).toBe(speckCertainty(certainty, { ...s, score: s.peak }, s.cluster));
      }
      const faint = detail.specks.slice(plain.specks.length);
      for (const s of faint) {
        expect(s.peak).toBeLessThan(DEFAULT_DETECTION_PARAMETERS.speckThreshold);
        expect(s.peak).toBeGreaterThanOrEqual(DEFAULT_DETECTION_PARAMETERS.faintMarkThreshold);
        expect(s.cluster).toBeUndefined();
      }
    }, 300_000);

    it('with --all-studies every network learns every study, so the certainty refuses their marks and is fitted on a study none saw', async () => {
      const fitData = path.join(dir, 'fit');
      await writeEvaluationStudy(path.join(fitData, 's3'));
      const fitDump = path.join(dir, 'fit-dump');
      tsScript('speckStageCrops.ts', ['--train', fitData, '--out', fitDump, '--config', config]);
      const modelDir = path.join(dir, 'models-all');
      fs.mkdirSync(modelDir);
      const stage = path.join(modelDir, 'stage.onnx');
      const trained = execFileSync(
        PYTHON,
        [
          path.join(TRAIN_SCRIPTS, 'train_speck_stage.py'),
          ...['--crops', dump, '--out', stage, '--all-studies', '--networks', '2', '--check', fitDump],
          ...['--max-steps', '3', '--batch', '16', '--threads', '1'],
        ],
        { encoding: 'utf8' },
      );
      expect(trained).toContain('network 1: --check AUC');
      const record = JSON.parse(fs.readFileSync(path.join(modelDir, 'stage.training.json'), 'utf8')) as {
        networks: { trainedOn: string[]; check?: { studies: number } }[];
      };
      expect(record.networks.map((n) => n.trainedOn)).toEqual([
        ['train/s1', 'train/s2'],
        ['train/s1', 'train/s2'],
      ]);
      expect(record.networks.map((n) => n.check?.studies)).toEqual([1, 1]);

      const certaintyFile = path.join(modelDir, SPECK_CERTAINTY_MODEL_FILE);
      expect(() => fitCertainty(stage, dump, fitDump, certaintyFile)).toThrow(
        /every network of the stage learnt from train\/s1/,
      );
      expect(fs.existsSync(certaintyFile)).toBe(false);
      fitCertainty(stage, fitDump, fitDump, certaintyFile);
      expect(loadSpeckCertaintyModel(certaintyFile).stage).toEqual({ file: 'stage.onnx' });
    }, 300_000);
  },
);
