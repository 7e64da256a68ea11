import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSourceHeader } from '../../../src/pipeline/sourceHeader';
import { writeReports } from '../../../src/report';
import { runTool } from '../../helpers/dcmtkTools';
import { writeMgImage } from '../../helpers/mgImage';
import { reportScenario } from '../../helpers/reportScenarios';

/** Pixels of an 8-bit binary PGM (what dcm2pnm and dcmp2pgm write). */
function readPgm(file: string): { width: number; height: number; pixels: Uint8Array } {
  const bytes = fs.readFileSync(file);
  const fields: string[] = [];
  let at = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(bytes[at]))) at++;
    if (bytes[at] === 0x23) {
      while (bytes[at] !== 0x0a) at++;
      continue;
    }
    const start = at;
    while (!/\s/.test(String.fromCharCode(bytes[at]))) at++;
    fields.push(bytes.subarray(start, at).toString('latin1'));
  }
  expect(fields[0]).toBe('P5');
  expect(fields[3]).toBe('255');
  const [width, height] = [Number(fields[1]), Number(fields[2])];
  return { width, height, pixels: bytes.subarray(at + 1, at + 1 + width * height) };
}

/**
 * What a workstation shows: each image rendered by dcmtk through our presentation state (dcmp2pgm)
 * must look as the image does with its own default VOI (dcm2pnm), MONOCHROME1 inversion included.
 */
describe('GSPS rendering keeps each image its own look (dcmtk)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mammocad-gsps-render-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const referencedImages = (gsps: string): string[] =>
    (readSourceHeader(gsps).ReferencedSeriesSequence as any[]).flatMap((s) =>
      s.ReferencedImageSequence.map((i: any) => i.ReferencedSOPInstanceUID),
    );

  test.each([
    ['oneCluster', 4],
    ['monochrome1', 1],
    ['mixedPhotometric', 2],
    ['voiLutOnly', 1],
    ['processingAndPresentation', 1],
  ])('%s: %d images referenced, each shown as with its own VOI', async (name, count) => {
    const { study, headers } = reportScenario(name);
    const out = path.join(dir, name);
    fs.mkdirSync(out, { recursive: true });
    const { gsps } = await writeReports(study, headers, out, { operatingPoint: 0.3 });
    const referenced = referencedImages(gsps);
    expect(referenced).toHaveLength(count);
    for (const [k, header] of headers.entries()) {
      if (!referenced.includes(header.SOPInstanceUID)) continue;
      const image = path.join(out, `image${k}.dcm`);
      writeMgImage(image, header);
      const ownVoi = header.WindowCenter !== undefined ? ['+Wi', '1'] : ['+Wl', '1'];
      const own = await runTool('dcm2pnm', [...ownVoi, image, `${image}.own.pgm`]);
      expect(own.code).toBe(0);
      const viaGsps = await runTool('dcmp2pgm', ['-p', gsps, image, `${image}.gsps.pgm`]);
      expect(viaGsps.code).toBe(0);
      const a = readPgm(`${image}.own.pgm`);
      const b = readPgm(`${image}.gsps.pgm`);
      expect([b.width, b.height]).toEqual([a.width, a.height]);
      let close = 0;
      for (let i = 0; i < a.pixels.length; i++) if (Math.abs(a.pixels[i] - b.pixels[i]) <= 2) close++;
      // The tissue spans about 20-70 grey levels here; an inverted image would differ almost everywhere.
      expect(`${header.PhotometricInterpretation}: ${(close / a.pixels.length).toFixed(3)}`).toBe(
        `${header.PhotometricInterpretation}: 1.000`,
      );
    }
  });
});
