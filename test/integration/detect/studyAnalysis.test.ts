import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configSchema } from '../../../src/config/schema';
import { analyseImage } from '../../../src/detect/analyseImage';
import { closeDetectionRuntimes, getDetectionRuntime } from '../../../src/detect/detectionRuntime';
import { summariseStudy } from '../../../src/detect/summariseStudy';
import type { GroundTruth } from '../../../src/findings/groundTruth';
import { synthesizerByName } from '../../../src/synth/synthesizerByName';
import { writeSyntheticStudy } from '../../../src/synth/studyWriter';

const modelDir = path.join(__dirname, '../../../models');

afterAll(() => closeDetectionRuntimes());

describe('analyseImage on a synthetic four-view DICOM study', () => {
  it('analyses every view, keeps its identity and reports clusters inside the original image', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-study-'));
    try {
      const written = await writeSyntheticStudy({ outDir: dir, rows: 800, columns: 650, seed: 4242, spacingMm: 0.1, synthesizer: synthesizerByName('procedural') });
      const config = configSchema.parse({ inference: { modelDir, threads: 1 } });
      const images = [];
      for (const w of written) {
        const truth = JSON.parse(fs.readFileSync(w.truthPath, 'utf8')) as GroundTruth;
        const f = await analyseImage(w.path, config);
        expect(f.status).toBe('analysed');
        expect(f.sopInstanceUid).toBe(w.sopInstanceUid);
        expect([f.rows, f.columns]).toEqual([truth.rows, truth.columns]);
        expect(f.laterality).toBe(truth.laterality);
        expect(f.assumedSpacingMm).toBeUndefined(); // the header holds its spacing
        for (const c of f.clusters) {
          for (const p of [c.center, ...c.outline, ...c.calcifications.map((k) => k.center)]) {
            // Outlines may reach a margin beyond the border; centres of specks may not.
            expect(p.x).toBeGreaterThan(-50);
            expect(p.x).toBeLessThan(truth.columns + 50);
          }
          for (const k of c.calcifications) expect(k.center.x >= 0 && k.center.x <= truth.columns && k.center.y >= 0 && k.center.y <= truth.rows).toBe(true);
        }
        images.push(f);
      }
      const study = summariseStudy(images);
      expect(study.images).toHaveLength(4);
      expect(study.examScore).toBe(Math.max(...images.map((i) => i.imageScore)));

      // The same view without any spacing in its header: analysed at imaging.defaultSpacingMm (here
      // its true 0.1 mm, so the same clusters), and the findings say the spacing was assumed.
      const bare = path.join(dir, 'no-spacing.dcm');
      fs.copyFileSync(written[0].path, bare);
      execFileSync('dcmodify', ['-nb', '-imt', '-ea', '(0028,0030)', '-ea', '(0018,1164)', bare]);
      const assumed = await analyseImage(bare, config);
      expect(assumed.status).toBe('analysed');
      expect(assumed).toMatchObject({ assumedSpacingMm: 0.1, assumedSpacingFrom: 'default' });
      expect(assumed.clusters.map((c) => c.center)).toEqual(images[0].clusters.map((c) => c.center));

      // As a digitised film: its Nominal Scanned Pixel Spacing is a measurement (nothing assumed);
      // without it, its Spatial Resolution is taken as the sampling, and said to be assumed.
      const film = (name: string, ...attributes: string[]) => {
        const file = path.join(dir, name);
        fs.copyFileSync(bare, file);
        execFileSync('dcmodify', ['-nb', '-i', '(0008,0064)=DF', ...attributes.flatMap((a) => ['-i', a]), file]);
        return file;
      };
      const scanned = await analyseImage(film('scanned.dcm', '(0018,2010)=0.1\\0.1'), config);
      expect(scanned.assumedSpacingMm).toBeUndefined();
      expect(scanned.clusters.map((c) => c.center)).toEqual(images[0].clusters.map((c) => c.center));
      const resolution = await analyseImage(film('resolution.dcm', '(0018,1050)=0.1'), config);
      expect(resolution).toMatchObject({ assumedSpacingMm: 0.1, assumedSpacingFrom: 'spatialResolution' });
      expect(resolution.clusters.map((c) => c.center)).toEqual(images[0].clusters.map((c) => c.center));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // Writing four compressed views and analysing them takes ~15 s on an idle 2-core host; allow for a loaded one.
  }, 180_000);
});

const cudaLibrary = path.join(path.dirname(require.resolve('onnxruntime-node/package.json')), 'bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so');

(fs.existsSync(cudaLibrary) ? describe.skip : describe)('execution provider start-up', () => {
  it('a provider that cannot start is a clear error naming the provider and the remedy (no silent CPU fallback)', async () => {
    const config = configSchema.parse({ inference: { modelDir, executionProvider: 'cuda', threads: 1 } });
    await expect(getDetectionRuntime(config)).rejects.toThrow(/"cuda" execution provider.*ONNXRUNTIME_NODE_INSTALL=cuda12/s);
  });
});
