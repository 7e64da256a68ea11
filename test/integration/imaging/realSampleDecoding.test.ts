/**
 * The real NEMA WG-04 mammogram "MG1" in its lossy JPEG 2000 and 12-bit extended JPEG encodings:
 * our decode equals the reference decoder's decode of the same stream, value for value, and the
 * whole preparation runs on it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodePixels, isNotAnalysable, prepareImage } from '../../../src/imaging';
import type { DecodedImage } from '../../../src/imaging';
import type { Jpeg2000DecoderChoice } from '../../../src/imaging/decode/decoderRegistry';
import { runTool, toolsAvailable } from '../../helpers/imaging/dicomTools';

const samples = resolve(__dirname, '../../../../shared/data/dicom-samples');
const present = existsSync(join(samples, 'MG1_J2KI.dcm')) && existsSync(join(samples, 'MG1_JPLY.dcm'));
const tools = toolsAvailable('gdcmconv', 'dcmdjpeg');
if (!present) console.warn(`skipping real sample decoding: ${samples} not found`);
else if (!tools) console.warn('skipping real sample decoding: gdcmconv / dcmdjpeg not on PATH');
const describeReal = present && tools ? describe : describe.skip;

async function decodeOk(path: string, jpeg2000: Jpeg2000DecoderChoice = 'auto'): Promise<DecodedImage> {
  const d = await decodePixels(path, jpeg2000);
  if (isNotAnalysable(d)) throw new Error(`${path}: ${d.reason}`);
  return d;
}

function countDifferences(a: ArrayLike<number>, b: ArrayLike<number>): { differing: number; maxAbs: number } {
  let differing = 0;
  let maxAbs = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d) differing++;
    if (d > maxAbs) maxAbs = d;
  }
  return { differing, maxAbs };
}

describeReal('real MG1 sample (4664x3064, 12 bits stored)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mammocad-mg1-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // 'auto' decodes JPEG 2000 with opj_decompress where it is installed (as in CI), 'wasm' with the bundled build.
  it.each([
    ['MG1_J2KI.dcm', 'gdcmconv', ['--raw'], 'auto'],
    ['MG1_J2KI.dcm', 'gdcmconv', ['--raw'], 'wasm'],
    ['MG1_JPLY.dcm', 'dcmdjpeg', [], 'auto'],
  ] as const)(
    '%s decodes exactly as %s does (imaging.jpeg2000Decoder %s)',
    async (file, tool, flags, jpeg2000) => {
      const reference = join(dir, `${file}.${jpeg2000}.raw.dcm`);
      runTool(tool, [...flags, join(samples, file), reference]);
      const ours = await decodeOk(join(samples, file), jpeg2000);
      const theirs = await decodeOk(reference);
      expect([ours.rows, ours.columns, ours.bitsStored, ours.signed]).toEqual([4664, 3064, 12, false]);
      expect(countDifferences(ours.pixels, theirs.pixels)).toEqual({ differing: 0, maxAbs: 0 });
    },
    120_000,
  );

  it("prepares MG1 (no spacing attribute: read at the digitised film's Spatial Resolution, 0.05 mm; chest wall left per Patient Orientation A\\F)", async () => {
    const r = await prepareImage(join(samples, 'MG1_JPLY.dcm'), {
      workingSpacingMm: 0.14,
      defaultSpacingMm: 0.1,
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.image.spacingSource).toBe('spatialResolution');
    expect(r.image.originalSpacingMm).toEqual([0.05, 0.05]);
    expect(r.image.flipped).toBe(false);
    expect(r.image.width).toBe(Math.round((3064 * 0.05) / 0.14));
    let breast = 0;
    for (const m of r.image.mask) breast += m;
    const fraction = breast / r.image.mask.length;
    expect(fraction).toBeGreaterThan(0.2);
    expect(fraction).toBeLessThan(0.9);
  }, 120_000);
});
