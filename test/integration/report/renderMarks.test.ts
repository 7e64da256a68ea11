import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { StudyFindings } from '../../../src/findings/types';
import { writeReports } from '../../../src/report';
import { calcificationColour, markColours } from '../../../src/report/render/drawMarks';
import { renderMarks } from '../../../src/report/render/renderMarks';
import { renderMarksInWorker, stopMarksRenderer } from '../../../src/report/render/renderMarksInWorker';
import { makeMgImage, writeMgImage } from '../../helpers/mgImage';
import { makeCluster } from '../../helpers/reportScenarios';

/**
 * Coordinates map to the right pixels: a known cluster is drawn into the fixture's pixels, the
 * reports are written, and the rendered marks must land on the drawn specks in the original image.
 */
describe('rendering reports over their image', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-render-'));
  afterAll(async () => {
    await stopMarksRenderer();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function fixture(photometric: 'MONOCHROME1' | 'MONOCHROME2') {
    const cluster = makeCluster(1, 60, 70, 0.87);
    const header = makeMgImage({
      studyUid: `1.2.826.0.1.3680043.10.2.${photometric === 'MONOCHROME1' ? 1 : 2}`,
      name: 'LCC',
      laterality: 'L',
      view: 'CC',
      photometric,
      discs: cluster.calcifications.map((c) => ({ x: c.center.x, y: c.center.y, r: 3 })),
    });
    const imagePath = path.join(dir, `${photometric}.dcm`);
    writeMgImage(imagePath, header);
    const study: StudyFindings = {
      studyUid: header.StudyInstanceUID,
      images: [
        {
          studyUid: header.StudyInstanceUID,
          seriesUid: header.SeriesInstanceUID,
          sopInstanceUid: header.SOPInstanceUID,
          sopClassUid: header.SOPClassUID,
          status: 'analysed',
          rows: header.Rows,
          columns: header.Columns,
          laterality: 'L',
          view: 'CC',
          clusters: [cluster],
          imageScore: 0.87,
          algorithm: { name: 'mammocad-calc', version: '1.0.0' },
        },
      ],
      breastScores: { L: 0.87 },
      examScore: 0.87,
    };
    const reports = await writeReports(study, [header], path.join(dir, photometric), { operatingPoint: 0.3 });
    return { cluster, imagePath, reports };
  }

  const pixel = (png: Buffer, x: number, y: number): number[] => {
    const img = PNG.sync.read(png);
    const i = (y * img.width + x) * 4;
    return [img.data[i], img.data[i + 1], img.data[i + 2]];
  };

  test.each(['MONOCHROME2', 'MONOCHROME1'] as const)(
    '%s: CAD SR speck marks land on the drawn specks, full size and downscaled',
    async (photometric) => {
      const { cluster, imagePath, reports } = await fixture(photometric);
      for (const maxWidth of [1024, 64]) {
        const plain = await renderMarks(imagePath, undefined, maxWidth);
        const marked = await renderMarks(imagePath, reports.mammoCadSr, maxWidth);
        const scale = plain.image.scale;
        expect(scale).toBe(maxWidth >= 128 ? 1 : 0.5);
        expect(marked.marks.filter((m) => m.role === 'calcification')).toHaveLength(4);
        for (const speck of cluster.calcifications) {
          const u = Math.floor(speck.center.x * scale);
          const v = Math.floor(speck.center.y * scale);
          // Dense speck: bright in the windowed picture (MONOCHROME1 inverted back to bright).
          expect(pixel(plain.png, u, v)[0]).toBeGreaterThan(170);
          expect(pixel(marked.png, u, v)).toEqual(calcificationColour);
        }
        // Background tissue is darker, so the bright test above means something.
        expect(pixel(plain.png, 2, 2)[0]).toBeLessThan(100);
      }
    },
  );

  test('GSPS outline is drawn through the outline vertices, in the required colour', async () => {
    const { cluster, imagePath, reports } = await fixture('MONOCHROME2');
    const marked = await renderMarks(imagePath, reports.gsps, 1024);
    expect(marked.marks).toHaveLength(1);
    expect(marked.marks[0].label).toBe('Calc cluster 87%');
    for (const p of cluster.outline) expect(pixel(marked.png, p.x, p.y)).toEqual(markColours.required);
    // The cluster centre is inside the outline, not on it.
    expect(pixel(marked.png, cluster.center.x, cluster.center.y)).not.toEqual(markColours.required);
  });

  test('TID 1500 region is read back by value', async () => {
    const { imagePath, reports } = await fixture('MONOCHROME2');
    const marked = await renderMarks(imagePath, reports.tid1500Sr, 1024);
    expect(marked.marks.map((m) => [m.shape, m.role])).toEqual([['polyline', 'outline']]);
  });

  test('the thumbnail worker thread gives the same PNG, reports what it cannot render, and starts again after dying', async () => {
    const { imagePath, reports } = await fixture('MONOCHROME2');
    const here = await renderMarks(imagePath, reports.gsps, 256);
    const [a, b] = await Promise.all([renderMarksInWorker(imagePath, reports.gsps, 256), renderMarksInWorker(imagePath, undefined, 256)]);
    expect(a.png.equals(here.png)).toBe(true);
    expect(b.png.equals((await renderMarks(imagePath, undefined, 256)).png)).toBe(true);
    const notAnImage = path.join(dir, 'not-an-image.dcm');
    fs.writeFileSync(notAnImage, 'plain text');
    await expect(renderMarksInWorker(notAnImage, undefined, 256)).rejects.toThrow(/Invalid DICOM file/);
    await stopMarksRenderer();
    expect((await renderMarksInWorker(imagePath, reports.gsps, 256)).png.equals(here.png)).toBe(true);
  });
});
