import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FEATURE_NAMES } from '../../../src/classify/clusterFeatures';
import { DETECTOR_MODEL_FILE } from '../../../src/detect/algorithmIdentity';
import { CLUSTER_FILTER_FEATURE_NAMES } from '../../../src/detect/clusterFilterFeatures';
import { DEFAULT_DETECTION_PARAMETERS } from '../../../src/detect/detectionParameters';
import { writePatchDataset } from '../../../src/synth/patches/patchDataset';
import { proceduralScene } from '../../../src/synth/patches/proceduralScene';
import { CANDIDATE_SET_VERSION, speckExtractionRecord, type CandidateRow, type CandidateSet } from '../../../scripts/train/clusterCandidates';
import { describeWithTorch, PYTHON, TRAIN_SCRIPTS } from '../../helpers/trainingPython';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = pathToFileURL(require.resolve('tsx')).href;
const committedDetector = path.join(ROOT, 'models', DETECTOR_MODEL_FILE.replace(/\.onnx$/, '.pt'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs in a scratch folder: a script that fell back to a models/ path would write there, never into the repository. */
function run(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A failed run that says why in one line (its last; Python may warn before it), with no traceback. */
function expectOneLineError(r: Run, message: RegExp): void {
  expect(r.stderr).not.toMatch(/Traceback|\n\s+at /);
  expect(r.stderr.trim().split('\n').pop()).toMatch(message);
  expect(r.code).toBe(1);
}

describe('training data tools refuse bad arguments with one line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-train-errors-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const tsScript = (file: string, args: string[]) => run(dir, process.execPath, ['--import', TSX, path.join(ROOT, file), ...args]);

  it('synth:patches wants a positive whole --count (0 wrote an empty set, "abc" never ended)', () => {
    for (const count of ['abc', '0']) {
      const r = tsScript('scripts/synth/writePatches.ts', ['--out', path.join(dir, `p-${count}`), '--count', count]);
      expectOneLineError(r, new RegExp(`^synth:patches: --count must be a positive whole number, not "${count}"$`));
      expect(fs.existsSync(path.join(dir, `p-${count}`, 'meta.json'))).toBe(false);
    }
  });

  // Candidate caches as train:cluster-filter writes them, so no detector runs.
  const setting = '0.8@4mm';
  const writeCache = (name: string, images: string[], trueClusters: string[], rows: Partial<CandidateRow>[]) => {
    const folder = path.join(dir, name);
    fs.mkdirSync(folder, { recursive: true });
    const set: CandidateSet = {
      version: CANDIDATE_SET_VERSION,
      dataset: folder,
      settings: [setting],
      speckExtraction: speckExtractionRecord(DEFAULT_DETECTION_PARAMETERS),
      images,
      trueClusters,
      rows: rows.map((r, i) => ({
        image: images[0] ?? 's1/a',
        setting,
        x: CLUSTER_FILTER_FEATURE_NAMES.map((_, j) => Math.sin(i * 3 + j)),
        hits: [],
        heuristicScore: i / 10,
        malignancyX: FEATURE_NAMES.map((_, j) => Math.cos(i * 5 + j)),
        pathology: null,
        ...r,
      })),
    };
    fs.mkdirSync(path.join(dir, 'cache'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'cache', `${name}.json`), JSON.stringify(set));
    return folder;
  };

  it('train:classifier needs --out (it replaced the committed model) and true candidates of both pathologies', () => {
    const cache = path.join(dir, 'cache', `${path.basename(writeCache('falseOnly', ['s1/a'], [], [{}, {}]))}.json`);
    const noOut = tsScript('scripts/train/trainClassifier.ts', ['--detected', cache]);
    expectOneLineError(noOut, /^train:classifier: --out FILE is required/);
    expect(fs.existsSync(path.join(dir, 'models'))).toBe(false);
    const empty = tsScript('scripts/train/trainClassifier.ts', ['--detected', cache, '--out', path.join(dir, 'c.json')]);
    expectOneLineError(empty, /^train:classifier: --detected .* holds 0 malignant and 0 benign true candidates at setting 0\.8@4mm; training needs both$/);
  });

  it('train:cluster-filter needs --out, true and false training candidates, and makes the output folder', () => {
    const common = ['--settings', '0.8@4', '--cache', path.join(dir, 'cache')];
    const val = writeCache('val', ['s9/a'], ['t1'], [{ image: 's9/a', hits: ['t1'] }, { image: 's9/a' }]);
    const emptyTrain = writeCache('emptyTrain', [], [], []);
    expectOneLineError(tsScript('scripts/train/trainClusterFilter.ts', ['--train', emptyTrain, '--val', val, ...common]), /^train:cluster-filter: --out FILE is required/);
    expectOneLineError(
      tsScript('scripts/train/trainClusterFilter.ts', ['--train', emptyTrain, '--val', val, ...common, '--out', path.join(dir, 'f.json')]),
      /^train:cluster-filter: --train .*emptyTrain: 0 true and 0 false candidate clusters at setting 0\.8@4mm \(0 images\); training needs both$/,
    );
    const train = writeCache('train', ['s1/a', 's2/a'], ['t1', 't2'], Array.from({ length: 8 }, (_, i) => ({ image: `s${1 + (i % 2)}/a`, hits: i % 3 ? [] : [`t${1 + (i % 2)}`] })));
    const out = path.join(dir, 'new', 'folder', 'filter.json');
    const written = tsScript('scripts/train/trainClusterFilter.ts', ['--train', train, '--val', val, ...common, '--out', out]);
    expect(written.stdout).toContain(`wrote ${out}`);
    expect(written.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).training.setting).toBe(setting);
  });

  it('compare-detector.sh refuses an unknown option and a missing candidate before any work', () => {
    const script = path.join(ROOT, 'scripts/train/compare-detector.sh');
    const work = path.join(dir, 'compare');
    const unknown = run(dir, 'bash', [script, committedDetector, work, '--baseline-comitted']);
    expectOneLineError(unknown, /^compare-detector: unknown option --baseline-comitted; usage: compare-detector\.sh CANDIDATE\.pt WORK \[--quick\] \[--baseline-committed\]$/);
    expectOneLineError(run(dir, 'bash', [script, path.join(dir, 'none.pt'), work, '--quick']), /^compare-detector: .*none\.pt: no such file$/);
    // Nothing was started: no work folder, no data.
    expect(fs.existsSync(work)).toBe(false);
  });
});

describeWithTorch('training scripts refuse bad arguments with one line, before training', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-train-errors-py-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const python = (script: string, args: string[], env: NodeJS.ProcessEnv = {}) => run(dir, PYTHON, [path.join(TRAIN_SCRIPTS, script), ...args], env);
  const fixture = ['--fixture', '8', '--fixture-size', '32', '--batch', '4', '--steps', '2', '--threads', '1'];

  // An empty patch set (count 0) and a small real one, and a checkpoint that fits no network here.
  const empty = path.join(dir, 'empty');
  const patches = path.join(dir, 'patches');
  const foreign = path.join(dir, 'foreign.pt');
  beforeAll(() => {
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, 'meta.json'), JSON.stringify({ version: 1, count: 0, size: 32 }));
    for (const f of ['images.f32', 'targets.u8', 'centres.u8', 'labels.jsonl']) fs.writeFileSync(path.join(empty, f), '');
    writePatchDataset({ outDir: patches, count: 8, size: 32, seed: 5, sources: [{ name: 'procedural', make: (seed) => proceduralScene(seed, { heightMmRange: [40, 50] }) }], generator: 'test', holdout: false });
    const made = run(dir, PYTHON, ['-c', 'import sys, torch; torch.save({"model": {"stem.0.weight": torch.zeros(3, 1, 3, 3)}, "widths": [12, 24, 48, 64]}, sys.argv[1])', foreign]);
    expect(made.code).toBe(0);
  });

  it('empty, missing and too-small patch sets', () => {
    expectOneLineError(
      python('train_detector.py', ['--data', empty, '--out', path.join(dir, 'd.onnx'), '--ckpt-dir', path.join(dir, 'k1')]),
      /^train_detector: --data .*empty holds 0 patches \(0 for training, 0 for validation\); training needs at least 2/,
    );
    expectOneLineError(
      python('train_detector.py', ['--data', path.join(dir, 'missing'), '--out', path.join(dir, 'd.onnx'), '--ckpt-dir', path.join(dir, 'k2')]),
      /^train_detector: --data: .*missing: no such folder$/,
    );
    expectOneLineError(
      python('train_centre_head.py', ['--data', empty, '--init', committedDetector, '--out', path.join(dir, 'c.onnx'), '--ckpt-dir', path.join(dir, 'k3')]),
      /^train_centre_head: --data .*empty holds 0 patches/,
    );
    expectOneLineError(
      python('train_cluster_cnn.py', ['--data', empty, '--detector', committedDetector, '--out', path.join(dir, 'r.onnx'), '--ckpt-dir', path.join(dir, 'k4')]),
      /^train_cluster_cnn: --data .*empty holds no patches/,
    );
  });

  it('a checkpoint of another network as --init: names and shapes compared, not a PyTorch dump', () => {
    expectOneLineError(
      python('train_detector.py', [...fixture, '--init', foreign, '--out', path.join(dir, 'd.onnx'), '--ckpt-dir', path.join(dir, 'k5')]),
      /^train_detector: --init .*foreign\.pt does not fit this network: \d+ tensors missing \(e\.g\. .*\); 1 of another shape \(e\.g\. stem\.0\.weight: \(3, 1, 3, 3\), expected \(12, 1, 3, 3\)\)$/,
    );
    // strict=False still raised on the shape.
    expectOneLineError(
      python('train_centre_head.py', ['--data', patches, '--init', foreign, '--steps', '2', '--out', path.join(dir, 'c.onnx'), '--ckpt-dir', path.join(dir, 'k6')]),
      /^train_centre_head: --init .*foreign\.pt does not fit this network: .*1 of another shape \(e\.g\. stem\.0\.weight/,
    );
  });

  it('an unwritable --out and a missing GPU are found before any step', () => {
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, '');
    const detector = python('train_detector.py', [...fixture, '--out', path.join(file, 'd.onnx'), '--ckpt-dir', path.join(dir, 'k7')]);
    expectOneLineError(detector, /^train_detector: cannot write to --out .*a-file: it is a file, not a folder$/);
    expect(detector.stdout).not.toMatch(/step \d/);
    const cnn = python('train_cluster_cnn.py', ['--data', patches, '--detector', committedDetector, '--out', path.join(file, 'x', 'r.onnx'), '--ckpt-dir', path.join(dir, 'k8')]);
    expectOneLineError(cnn, /^train_cluster_cnn: cannot write to --out .*a-file\/x: Not a directory$/);
    expect(cnn.stdout).toBe('');
    // Hidden GPUs, so the machine running the test has none either.
    const cuda = python('train_detector.py', [...fixture, '--device', 'cuda', '--out', path.join(dir, 'g.onnx'), '--ckpt-dir', path.join(dir, 'k9')], { CUDA_VISIBLE_DEVICES: '' });
    expectOneLineError(cuda, /^train_detector: --device cuda, but PyTorch sees no CUDA device here \(pass --device cpu\)$/);
    expect(fs.existsSync(path.join(dir, 'g.onnx'))).toBe(false);
  });

  it('export:detector makes the output folder', () => {
    const out = path.join(dir, 'export', 'new', 'detector.onnx');
    const r = python('export_detector.py', ['--weights', committedDetector, '--out', out]);
    expect(r.stdout).toContain('export_detector: wrote');
    expect(fs.statSync(out).size).toBeGreaterThan(10_000);
  });

  it('resuming takes the checkpoint\'s widths, without repeating --widths', () => {
    const ckpt = path.join(dir, 'narrow');
    const out = path.join(ckpt, 'd.onnx');
    const common = [...fixture, '--ckpt-dir', ckpt, '--out', out];
    expect(python('train_detector.py', [...common, '--widths', '8,16,32', '--stop-after', '1']).stdout).toContain('stopped at step 1');
    const resumed = python('train_detector.py', [...common, '--resume', path.join(ckpt, 'detector-last.pt')]);
    expect(resumed.stdout).toContain('resumed from');
    expect(resumed.code).toBe(0);
    // Python's json writes NaN (no specks in the one validation patch), which JSON.parse refuses.
    const record = JSON.parse(fs.readFileSync(path.join(ckpt, 'd.training.json'), 'utf8').replace(/\bNaN\b/g, 'null'));
    expect(record).toMatchObject({ widths: [8, 16, 32], steps: 2, device: 'cpu' });
  });
});
