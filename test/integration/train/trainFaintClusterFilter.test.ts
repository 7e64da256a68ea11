import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FAINT_CLUSTER_FEATURE_NAMES, loadFaintClusterFilterModel } from '../../../src/detect/faintClusters';
import { writeEvaluationStudy } from '../../helpers/evaluationStudy';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = pathToFileURL(require.resolve('tsx')).href;
const SCRIPT = path.join(ROOT, 'scripts/train/trainFaintClusterFilter.ts');

/** The script in its own process, in a scratch folder (so nothing can land in models/). */
function train(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--import', TSX, SCRIPT, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run train:faint-cluster-filter (scripts/train/trainFaintClusterFilter.ts)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-faint-filter-'));
  const config = path.join(dir, 'config.json');
  const data = path.join(dir, 'faint');
  beforeAll(async () => {
    fs.writeFileSync(
      config,
      JSON.stringify({ inference: { modelDir: path.join(ROOT, 'models'), threads: 1 } }),
    );
    await writeEvaluationStudy(path.join(data, 's1'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("fits the filter to the node's faint candidates, chooses its floor within both budgets and records how", () => {
    const out = path.join(dir, 'out', 'faint.json');
    const r = train(dir, [
      '--train',
      data,
      '--val',
      data,
      '--real-tissue',
      data,
      '--config',
      config,
      '--out',
      out,
    ]);
    expect(r.stderr).not.toMatch(/Error|refus/);
    expect(r.code).toBe(0);
    const model = loadFaintClusterFilterModel(out);
    expect(model.features).toEqual([...FAINT_CLUSTER_FEATURE_NAMES]);
    expect([...model.weights, model.bias].every(Number.isFinite)).toBe(true);
    const t = model.training as {
      trainStudies: string[];
      candidates: number;
      inTrueClusters: number;
      kneeFloor: number;
      floor: number;
      realTissue: { floor: number; images: number };
      validation: {
        images: number;
        firstTierAt: Record<string, number>;
        bothTiersAt: Record<string, number>;
      };
    };
    expect(t.trainStudies).toEqual(['faint/s1']);
    expect(t.inTrueClusters).toBeGreaterThan(0);
    expect(t.inTrueClusters).toBeLessThan(t.candidates);
    expect(t.validation.images).toBe(4);
    expect(t.realTissue.images).toBe(4);
    // The floor is the stricter of the two rules.
    expect(t.floor).toBe(Math.max(t.kneeFloor, t.realTissue.floor));
    // The second tier only adds clusters to the first tier's.
    for (const rate of ['0.25', '0.5', '1'])
      expect(t.validation.bothTiersAt[rate]).toBeGreaterThanOrEqual(t.validation.firstTierAt[rate]);
    expect(r.stdout).toMatch(/set DEFAULT_DETECTION_PARAMETERS\.faintClusterFloor to/);
  });

  it('refuses training studies the speck stage learnt from, whose stage logits would look surer than on new images', async () => {
    // The committed stage learnt from train/s2001 (its training record).
    const seen = path.join(dir, 'train');
    await writeEvaluationStudy(path.join(seen, 's2001'));
    const r = train(dir, ['--train', seen, '--val', data, '--config', config, '--dry-run']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /the speck stage learnt from train\/s2001; fit the faint filter on studies it never saw/,
    );
  });
});
