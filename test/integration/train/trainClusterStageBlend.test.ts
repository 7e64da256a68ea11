import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLUSTER_FILTER_MODEL_FILE } from '../../../src/detect/algorithmIdentity';
import { loadClusterFilterModel } from '../../../src/detect/clusterFilter';
import { writeEvaluationStudy } from '../../helpers/evaluationStudy';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = pathToFileURL(require.resolve('tsx')).href;
const SCRIPT = path.join(ROOT, 'scripts/train/trainClusterStageBlend.ts');

/** The script in its own process, in a scratch folder (so nothing can land in models/). */
function train(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--import', TSX, SCRIPT, ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run train:cluster-stage-blend (scripts/train/trainClusterStageBlend.ts)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-stage-blend-'));
  const config = path.join(dir, 'config.json');
  beforeAll(() => fs.writeFileSync(config, JSON.stringify({ inference: { modelDir: path.join(ROOT, 'models'), threads: 1 } })));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes the folder's reducer with a blend fitted on every candidate of the production path, and reports the validation FROC", async () => {
    const data = path.join(dir, 'train');
    await writeEvaluationStudy(path.join(data, 's1'));
    const out = path.join(dir, 'out.json');
    const r = train(dir, ['--train', data, '--val', data, '--config', config, '--out', out]);
    expect(r.stderr).not.toMatch(/train:cluster-stage-blend:/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/validation \(10 clusters, 4 images\) at 0\.25 \/ 0\.5 \/ 1 \/ 2 false per image/);

    const written = loadClusterFilterModel(out);
    const committed = loadClusterFilterModel(path.join(ROOT, 'models', CLUSTER_FILTER_MODEL_FILE));
    // The reducer itself is the folder's, untouched; only the blend is new.
    expect({ ...written, stage: undefined }).toEqual({ ...committed, stage: undefined });
    const stage = written.stage!;
    expect([stage.reducerWeight, stage.stageWeight, stage.bias].every(Number.isFinite)).toBe(true);
    expect(stage.floor).toBeGreaterThan(0);
    expect(stage.floor).toBeLessThan(1);
    const t = stage.training as { candidates: number; trueCandidates: number; images: number; reducerFloor: number };
    expect(t.images).toBe(4);
    expect(t.trueCandidates).toBeGreaterThan(1);
    expect(t.candidates).toBeGreaterThan(t.trueCandidates);
    // Fitted against the reducer alone, whose floor the blend's false-mark rate is matched to.
    expect(t.reducerFloor).toBe(committed.training.floor);
    // The script may run up to train()'s 240 s; on a busy 2-core host it took over a minute (2026-12-06).
  }, 300_000);

  it('refuses a folder without labelled studies, and writes nothing', () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty, { recursive: true });
    const out = path.join(dir, 'none.json');
    const r = train(dir, ['--train', empty, '--val', empty, '--config', config, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').pop()).toMatch(/^train:cluster-stage-blend: .*empty: no labelled images/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses a --match-rate that is no rate of false clusters before it reads any study', () => {
    const out = path.join(dir, 'none.json');
    for (const bad of ['0', '-1', 'many']) {
      const r = train(dir, ['--train', path.join(dir, 'missing'), '--val', path.join(dir, 'missing'), '--match-rate', bad, '--config', config, '--out', out]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n').pop()).toBe(`train:cluster-stage-blend: --match-rate ${bad}: a number of false clusters per image above 0`);
    }
    expect(fs.existsSync(out)).toBe(false);
  });
});
