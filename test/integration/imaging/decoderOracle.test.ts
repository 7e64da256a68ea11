/**
 * Oracle tests: for every transfer syntax, our decoded stored values equal what dcmtk / GDCM decode
 * from the same file (value for value; lossy streams are compared with the reference decoder's output
 * of the same lossy stream). Fixtures: a synthetic MG image written with dcmjs, compressed by the
 * reference tools themselves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePixels, isNotAnalysable, TransferSyntaxUid } from '../../../src/imaging';
import type { DecodedImage } from '../../../src/imaging';
import type { Jpeg2000DecoderChoice } from '../../../src/imaging/decode/decoderRegistry';
import { transcodeDicomFile } from '../../../src/synth/codecs/transcode';
import { runTool, toolsAvailable, transferSyntaxOf } from '../../helpers/imaging/dicomTools';
import { openJphReferenceDecode } from '../../helpers/imaging/openJphReference';
import {
  writeSyntheticMammogram,
  type SyntheticMammogramOptions,
} from '../../helpers/imaging/syntheticMammogramFile';

const TOOLS = [
  'dcmcjpeg',
  'dcmdjpeg',
  'dcmcjpls',
  'dcmdjpls',
  'dcmcrle',
  'dcmdrle',
  'dcmconv',
  'gdcmconv',
  'dcmdump',
  'opj_decompress',
];
const haveTools = toolsAvailable(...TOOLS);
if (!haveTools) console.warn(`skipping decoder oracle tests: need ${TOOLS.join(', ')} on PATH`);
const describeTools = haveTools ? describe : describe.skip;

interface Base {
  file: string;
  values: Int32Array;
}

const BASES: Record<string, SyntheticMammogramOptions> = {
  u12: { rows: 96, columns: 80, bitsAllocated: 16, bitsStored: 12, seed: 3 },
  u16: { rows: 96, columns: 80, bitsAllocated: 16, bitsStored: 16, seed: 4 },
  s16: { rows: 96, columns: 80, bitsAllocated: 16, bitsStored: 16, signed: true, seed: 5 },
  s12: { rows: 96, columns: 80, bitsAllocated: 16, bitsStored: 12, signed: true, seed: 6 },
  u8: { rows: 96, columns: 80, bitsAllocated: 8, bitsStored: 8, seed: 7 },
};

interface Case {
  name: string;
  base: keyof typeof BASES;
  syntax: string;
  compress: (src: string, dst: string) => unknown;
  reference: (src: string, dst: string) => unknown;
  /** Largest allowed |ours − reference|; 0 = identical. */
  tolerance: number;
  lossless: boolean;
  /** JPEG 2000 only: which of the two decoders ('auto' is opj_decompress, required above). */
  jpeg2000?: Jpeg2000DecoderChoice;
}

const dcmtkJpeg = (flags: string[]) => (s: string, d: string) => runTool('dcmcjpeg', [...flags, s, d]);
const dcmdjpeg = (s: string, d: string) => runTool('dcmdjpeg', [s, d]);
const dcmdjpls = (s: string, d: string) => runTool('dcmdjpls', [s, d]);
const dcmdrle = (s: string, d: string) => runTool('dcmdrle', [s, d]);
const gdcmRaw = (s: string, d: string) => runTool('gdcmconv', ['--raw', s, d]);
const copyAsIs = (s: string, d: string) => runTool('dcmconv', ['+te', s, d]);

const CASES: Case[] = [
  ...(['u12', 'u16', 's16', 'u8'] as const).map((base) => ({
    name: `Implicit VR LE ${base}`,
    base,
    syntax: TransferSyntaxUid.implicitVrLittleEndian,
    compress: (s: string, d: string) => runTool('dcmconv', ['+ti', s, d]),
    reference: copyAsIs,
    tolerance: 0,
    lossless: true,
  })),
  ...(['u12', 's16'] as const).map((base) => ({
    name: `Explicit VR BE ${base}`,
    base,
    syntax: TransferSyntaxUid.explicitVrBigEndian,
    compress: (s: string, d: string) => runTool('dcmconv', ['+tb', s, d]),
    reference: copyAsIs,
    tolerance: 0,
    lossless: true,
  })),
  ...(['u12', 'u16', 's16', 's12', 'u8'] as const).map((base) => ({
    name: `RLE ${base}`,
    base,
    syntax: TransferSyntaxUid.rleLossless,
    compress: (s: string, d: string) => runTool('dcmcrle', [s, d]),
    reference: dcmdrle,
    tolerance: 0,
    lossless: true,
  })),
  ...(['u12', 'u16', 'u8'] as const).map((base) => ({
    name: `JPEG lossless SV1 ${base}`,
    base,
    syntax: TransferSyntaxUid.jpegLosslessSv1,
    compress: dcmtkJpeg(['+e1']),
    reference: dcmdjpeg,
    tolerance: 0,
    lossless: true,
  })),
  ...(['u12', 'u16'] as const).map((base) => ({
    name: `JPEG lossless process 14 SV6 ${base}`,
    base,
    syntax: TransferSyntaxUid.jpegLossless,
    compress: dcmtkJpeg(['+el', '+sv', '6']),
    reference: dcmdjpeg,
    tolerance: 0,
    lossless: true,
  })),
  {
    name: 'JPEG baseline u8',
    base: 'u8',
    syntax: TransferSyntaxUid.jpegBaseline,
    compress: dcmtkJpeg(['+eb']),
    reference: dcmdjpeg,
    tolerance: 0,
    lossless: false,
  },
  {
    name: 'JPEG extended 12-bit u12',
    base: 'u12',
    syntax: TransferSyntaxUid.jpegExtended12Bit,
    compress: dcmtkJpeg(['+ee']),
    reference: dcmdjpeg,
    tolerance: 0,
    lossless: false,
  },
  ...(['u12', 'u16', 's16', 's12', 'u8'] as const).map((base) => ({
    name: `JPEG-LS lossless ${base}`,
    base,
    syntax: TransferSyntaxUid.jpegLsLossless,
    compress: (s: string, d: string) => runTool('dcmcjpls', [s, d]),
    reference: dcmdjpls,
    tolerance: 0,
    lossless: true,
  })),
  {
    name: 'JPEG-LS near-lossless u12',
    base: 'u12',
    syntax: TransferSyntaxUid.jpegLsNearLossless,
    compress: (s, d) => runTool('dcmcjpls', ['+en', '+md', '2', s, d]),
    reference: dcmdjpls,
    tolerance: 0,
    lossless: false,
  },
  ...(['auto', 'wasm'] as const).flatMap((jpeg2000): Case[] => [
    ...(['u12', 'u16', 's16', 's12', 'u8'] as const).map((base) => ({
      name: `JPEG 2000 lossless ${base} (${jpeg2000})`,
      base,
      syntax: TransferSyntaxUid.jpeg2000Lossless,
      compress: (s: string, d: string) => runTool('gdcmconv', ['--j2k', s, d]),
      reference: gdcmRaw,
      tolerance: 0,
      lossless: true,
      jpeg2000,
    })),
    {
      name: `JPEG 2000 lossy u12 (${jpeg2000})`,
      base: 'u12',
      syntax: TransferSyntaxUid.jpeg2000,
      compress: (s, d) => runTool('gdcmconv', ['--j2k', '--lossy', '--irreversible', '-r', '10', s, d]),
      reference: gdcmRaw,
      tolerance: 0,
      lossless: false,
      jpeg2000,
    },
    // HTJ2K (ISO 15444-15), written by OpenJPH and checked against OpenJPH's own decoder.
    ...(['u12', 'u16', 's16', 's12', 'u8'] as const).flatMap((base) =>
      [TransferSyntaxUid.htj2kLossless, TransferSyntaxUid.htj2kLosslessRpcl].map((syntax) => ({
        name: `HTJ2K lossless ${syntax === TransferSyntaxUid.htj2kLosslessRpcl ? 'RPCL ' : ''}${base} (${jpeg2000})`,
        base,
        syntax,
        compress: (s: string, d: string) => transcodeDicomFile(s, d, syntax),
        reference: (s: string, d: string) => openJphReferenceDecode(s, d, BASES[base]),
        tolerance: 0,
        lossless: true,
        jpeg2000,
      })),
    ),
    ...(['u12', 's16'] as const).map((base) => ({
      name: `HTJ2K lossy ${base} (${jpeg2000})`,
      base,
      syntax: TransferSyntaxUid.htj2k,
      compress: (s: string, d: string) => transcodeDicomFile(s, d, TransferSyntaxUid.htj2k),
      reference: (s: string, d: string) => openJphReferenceDecode(s, d, BASES[base]),
      // Two implementations of the irreversible (floating-point) wavelet round differently: by 1 at
      // 12 bits, by 3 of 65536 at 16 bits.
      tolerance: base === 's16' ? 4 : 1,
      lossless: false,
      jpeg2000,
    })),
  ]),
];

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function decodeOk(path: string, jpeg2000: Jpeg2000DecoderChoice = 'auto'): Promise<DecodedImage> {
  const d = await decodePixels(path, jpeg2000);
  if (isNotAnalysable(d)) throw new Error(`${path}: ${d.reason}`);
  return d;
}

describeTools('decoders agree with dcmtk / GDCM', () => {
  let dir: string;
  const bases: Record<string, Base> = {};

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mammocad-oracle-'));
    for (const [name, opts] of Object.entries(BASES)) {
      const file = join(dir, `${name}.dcm`);
      bases[name] = { file, values: writeSyntheticMammogram(file, opts) };
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(Object.keys(BASES))('native Explicit VR LE %s: stored values as written', async (name) => {
    const d = await decodeOk(bases[name].file);
    expect(d.signed).toBe(!!BASES[name].signed);
    expect(d.bitsStored).toBe(BASES[name].bitsStored);
    expect(Array.from(d.pixels)).toEqual(Array.from(bases[name].values));
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const base = bases[c.base];
    const encoded = join(dir, `${c.name.replace(/\W+/g, '_')}.dcm`);
    const reference = `${encoded}.ref.dcm`;
    await c.compress(base.file, encoded);
    expect(transferSyntaxOf(encoded)).toBe(c.syntax);
    await c.reference(encoded, reference);
    const ours = await decodeOk(encoded, c.jpeg2000);
    const theirs = await decodeOk(reference);
    expect(ours.rows).toBe(BASES[c.base].rows);
    expect(ours.columns).toBe(BASES[c.base].columns);
    expect(ours.signed).toBe(theirs.signed);
    expect(maxAbsDiff(ours.pixels, theirs.pixels)).toBeLessThanOrEqual(c.tolerance);
    if (c.lossless) expect(Array.from(ours.pixels)).toEqual(Array.from(base.values));
  });
});
