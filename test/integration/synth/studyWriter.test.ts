import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GroundTruth } from '../../../src/findings/groundTruth';
import { TransferSyntaxUid } from '../../../src/dicom/transferSyntaxUid';
import { part10ToDataset } from '../../../src/dicom/datasetFile';
import { writeSyntheticStudy } from '../../../src/synth/studyWriter';

function hasTool(name: string): boolean {
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function dciodvfyErrors(path: string): string[] {
  let output: string;
  try {
    output = execFileSync('dciodvfy', [path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
  }
  return output.split('\n').filter((line) => line.startsWith('Error'));
}

function dcmdumpValue(path: string, keyword: string): string {
  const dump = execFileSync('dcmdump', ['+P', keyword, path], { encoding: 'utf8' });
  return dump.trim();
}

function pixelsOf(path: string): Uint16Array {
  const dataset = part10ToDataset(readFileSync(path));
  const buffer = (dataset.PixelData as ArrayBuffer[])[0];
  return new Uint16Array(buffer);
}

describe('synthetic study writer', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mammocad-study-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes four valid MG For Presentation views and their truth files', async () => {
    const out = join(dir, 'plain');
    const written = await writeSyntheticStudy({ outDir: out, rows: 256, columns: 208, seed: 5, intents: ['FOR PRESENTATION', 'FOR PROCESSING'] });
    expect(written.map((w) => `${w.view.laterality}${w.view.view}`)).toEqual(['RCC', 'RCC', 'LCC', 'LCC', 'RMLO', 'RMLO', 'LMLO', 'LMLO']);
    const lcc = part10ToDataset(readFileSync(join(out, 'L_CC.dcm')));
    expect(lcc.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.1.2');
    expect(lcc.Modality).toBe('MG');
    expect(lcc.ImageLaterality).toBe('L');
    expect(lcc.PatientOrientation).toEqual(['A', 'R']);
    expect((lcc.ViewCodeSequence as Record<string, unknown>[])[0]).toMatchObject({ CodeValue: '399162004', CodingSchemeDesignator: 'SCT' });
    expect(lcc.Rows).toBe(256);
    expect(lcc.Columns).toBe(208);
    expect(lcc.BitsStored).toBe(12);
    expect(lcc.HighBit).toBe(11);
    const processing = part10ToDataset(readFileSync(join(out, 'R_MLO_processing.dcm')));
    expect(processing.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.1.2.1');
    expect(processing.PresentationIntentType).toBe('FOR PROCESSING');
    expect(processing.PatientOrientation).toEqual(['P', 'FL']);
    expect(processing.StudyInstanceUID).toBe(lcc.StudyInstanceUID);
    const truth = JSON.parse(readFileSync(join(out, 'L_CC.truth.json'), 'utf8')) as GroundTruth;
    expect(truth).toMatchObject({ version: 1, rows: 256, columns: 208, laterality: 'L', view: 'CC', sopInstanceUid: lcc.SOPInstanceUID });
    if (hasTool('dciodvfy')) {
      for (const image of written) expect({ file: image.path, errors: dciodvfyErrors(image.path) }).toEqual({ file: image.path, errors: [] });
    } else {
      console.warn('dciodvfy not installed: DICOM validation skipped');
    }
    if (hasTool('dcmdump')) expect(dcmdumpValue(join(out, 'L_MLO.dcm'), 'ViewPosition')).toContain('[MLO]');
  });

  it('is deterministic for a seed and inverts MONOCHROME1', async () => {
    const first = await writeSyntheticStudy({ outDir: join(dir, 'a'), rows: 128, columns: 96, seed: 9, views: [{ laterality: 'R', view: 'CC' }] });
    const again = await writeSyntheticStudy({ outDir: join(dir, 'b'), rows: 128, columns: 96, seed: 9, views: [{ laterality: 'R', view: 'CC' }] });
    const inverted = await writeSyntheticStudy({
      outDir: join(dir, 'c'),
      rows: 128,
      columns: 96,
      seed: 9,
      photometric: 'MONOCHROME1',
      views: [{ laterality: 'R', view: 'CC' }],
    });
    expect(readFileSync(first[0].path).equals(readFileSync(again[0].path))).toBe(true);
    const mono2 = pixelsOf(first[0].path);
    const mono1 = pixelsOf(inverted[0].path);
    expect(mono1.length).toBe(128 * 96);
    for (let i = 0; i < mono2.length; i += 97) expect(mono1[i]).toBe(4095 - mono2[i]);
    const header = part10ToDataset(readFileSync(inverted[0].path));
    expect(header.PhotometricInterpretation).toBe('MONOCHROME1');
    expect(header.PresentationLUTShape).toBe('INVERSE');
  });

  const compressed: [string, string][] = [
    ['RLE', TransferSyntaxUid.rleLossless],
    ['JPEG lossless SV1', TransferSyntaxUid.jpegLosslessSv1],
    ['JPEG-LS', TransferSyntaxUid.jpegLsLossless],
    ['JPEG 2000 lossless', TransferSyntaxUid.jpeg2000Lossless],
  ];
  it.each(compressed)('re-encodes as %s with the right transfer syntax', async (_name, syntax) => {
    if (!hasTool('dcmdump') || !hasTool('gdcmconv')) {
      console.warn('dcmtk/gdcm not installed: compressed output skipped');
      return;
    }
    const written = await writeSyntheticStudy({
      outDir: join(dir, syntax),
      rows: 128,
      columns: 96,
      seed: 2,
      transferSyntaxUid: syntax,
      views: [{ laterality: 'L', view: 'MLO' }],
    });
    expect(written[0].transferSyntaxUid).toBe(syntax);
    const dataset = part10ToDataset(readFileSync(written[0].path));
    expect((dataset._meta as Record<string, unknown>).TransferSyntaxUID).toBe(syntax);
    expect(dciodvfyErrors(written[0].path)).toEqual([]);
  });
});
