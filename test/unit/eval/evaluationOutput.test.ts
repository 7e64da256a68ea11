import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configSchema } from '../../../src/config/schema';
import { evaluationConfig } from '../../../scripts/eval/evaluationConfig';
import { writeFileAtomic } from '../../../scripts/eval/writeFileAtomic';

describe('eval report files and configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-eval-out-'));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a write that fails half-way (disk full) leaves the previous report whole and no temp file', () => {
    const report = path.join(dir, 'report.json');
    writeFileAtomic(report, '{"old": true}\n');
    const realWrite = fs.writeFileSync;
    jest.spyOn(fs, 'writeFileSync').mockImplementation((target, data, ...rest) => {
      realWrite(target, String(data).slice(0, 5), ...rest);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    expect(() => writeFileAtomic(report, '{"new": true, "long": "report"}\n')).toThrow(/ENOSPC/);
    jest.restoreAllMocks();
    expect(fs.readFileSync(report, 'utf8')).toBe('{"old": true}\n');
    expect(fs.readdirSync(dir)).toEqual(['report.json']);
  });

  it('a complete write is fsynced before it replaces the report', () => {
    const report = path.join(dir, 'report.json');
    fs.writeFileSync(report, 'old');
    const order: string[] = [];
    const realFsync = fs.fsyncSync;
    const realRename = fs.renameSync;
    jest.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      order.push('fsync');
      realFsync(fd);
    });
    jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      order.push('rename');
      realRename(from, to);
    });
    writeFileAtomic(report, 'new');
    expect(order).toEqual(['fsync', 'rename']);
    expect(fs.readFileSync(report, 'utf8')).toBe('new');
  });

  it("eval runs with the site's configuration (default.json, MAMMOCAD_CONFIG, environment), --config on top", () => {
    fs.mkdirSync(path.join(dir, 'config'));
    fs.writeFileSync(
      path.join(dir, 'config', 'default.json'),
      JSON.stringify({
        inference: { modelDir: 'site-models', operatingPoint: 0.4 },
        imaging: { defaultSpacingMm: 0.2 },
      }),
    );
    fs.writeFileSync(path.join(dir, 'site.json'), JSON.stringify({ inference: { clusterFloor: 0.5 } }));
    const env = { MAMMOCAD_CONFIG: 'site.json', MAMMOCAD_WORKING_SPACING_MM: '0.1' };
    const site = evaluationConfig(undefined, env, dir);
    expect(site.inference).toMatchObject({
      modelDir: path.join(dir, 'site-models'),
      operatingPoint: 0.4,
      clusterFloor: 0.5,
    });
    expect(site.imaging).toEqual({ workingSpacingMm: 0.1, defaultSpacingMm: 0.2, jpeg2000Decoder: 'auto', analyseImplantViews: false });

    const extra = path.join(dir, 'extra.json');
    fs.writeFileSync(extra, JSON.stringify({ inference: { operatingPoint: 0.35, clusterMinSpecks: 4 } }));
    const merged = evaluationConfig(extra, env, dir);
    expect(merged.inference).toMatchObject({
      modelDir: path.join(dir, 'site-models'),
      operatingPoint: 0.35,
      clusterMinSpecks: 4,
      clusterFloor: 0.5,
    });
    expect(merged.imaging).toEqual(site.imaging);
    // A relative modelDir given with --config resolves against the working directory when used, as before.
    fs.writeFileSync(extra, JSON.stringify({ inference: { modelDir: 'other' } }));
    expect(evaluationConfig(extra, env, dir).inference.modelDir).toBe('other');
    fs.writeFileSync(extra, JSON.stringify({ inference: { operatingPoint: 0.305 } }));
    expect(() => evaluationConfig(extra, env, dir)).toThrow(
      /--config .*extra\.json: inference\.operatingPoint/,
    );
  });

  it("the repository's config/default.json gives eval the same imaging and inference settings as the schema defaults", () => {
    const repo = path.join(__dirname, '../../..');
    const site = evaluationConfig(undefined, {}, repo);
    const defaults = configSchema.parse({});
    expect(site.imaging).toEqual(defaults.imaging);
    expect({ ...site.inference, modelDir: undefined }).toEqual({
      ...defaults.inference,
      modelDir: undefined,
    });
    expect(site.inference.modelDir).toBe(path.resolve(repo, defaults.inference.modelDir));
    expect(site.worker).toEqual(defaults.worker);
  });
});
