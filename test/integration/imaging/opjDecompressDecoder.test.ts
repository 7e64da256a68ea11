/**
 * JPEG 2000 through OpenJPEG's opj_decompress (Debian libopenjp2-tools): which decoder the setting
 * picks, bare and JP2-wrapped streams, a broken stream's reason, and no temporary file left behind.
 * Both decoders' pixels are compared with GDCM's in decoderOracle and realSampleDecoding.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransferSyntaxUid } from '../../../src/dicom/transferSyntaxUid';
import { decoderFor, jpeg2000DecoderFor } from '../../../src/imaging/decode/decoderRegistry';
import { jpeg2000Decoder } from '../../../src/imaging/decode/jpeg2000Decoder';
import { opjDecompressDecoder, opjDecompressInstalled } from '../../../src/imaging/decode/opjDecompressDecoder';
import type { FrameInfo } from '../../../src/imaging/decode/pixelDecoder';
import { rleDecoder } from '../../../src/imaging/decode/rleDecoder';
import { toStoredValues } from '../../../src/imaging/decode/storedValues';
import { runTool, toolsAvailable } from '../../helpers/imaging/dicomTools';
import { logger } from '../../../src/log/logger';

const haveTools = toolsAvailable('opj_decompress', 'opj_compress');
if (!haveTools) console.warn('skipping opj_decompress tests: opj_decompress / opj_compress not on PATH (apt-get install libopenjp2-tools)');
const describeTools = haveTools ? describe : describe.skip;

const [ROWS, COLUMNS] = [48, 64];
const info: FrameInfo = {
  rows: ROWS,
  columns: COLUMNS,
  bitsAllocated: 16,
  bitsStored: 12,
  highBit: 11,
  signed: false,
  samplesPerPixel: 1,
  transferSyntaxUid: TransferSyntaxUid.jpeg2000Lossless,
};

describe('choosing the JPEG 2000 decoder', () => {
  it('auto takes opj_decompress only where it is installed; wasm always takes the bundled build', () => {
    expect(jpeg2000DecoderFor('auto', true)).toBe(opjDecompressDecoder);
    expect(jpeg2000DecoderFor('auto', false)).toBe(jpeg2000Decoder);
    expect(jpeg2000DecoderFor('wasm', true)).toBe(jpeg2000Decoder);
    expect(decoderFor(TransferSyntaxUid.jpeg2000, 'wasm')).toBe(jpeg2000Decoder);
    expect(decoderFor(TransferSyntaxUid.rleLossless, 'auto')).toBe(rleDecoder);
  });
});

describeTools('opj_decompress decoder', () => {
  let dir: string;
  let scratch: string;
  let values: Uint16Array;
  const savedTmp = process.env.TMPDIR;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mammocad-opj-test-'));
    // The decoder's temporary folders go here, so the test can see that none is left behind.
    scratch = join(dir, 'scratch');
    mkdirSync(scratch);
    process.env.TMPDIR = scratch;
    values = Uint16Array.from({ length: ROWS * COLUMNS }, (_, i) => (i * 37 + (i >> 6) * 101) % 4096);
    writeFileSync(join(dir, 'image.rawl'), new Uint8Array(values.buffer));
    for (const name of ['image.j2k', 'image.jp2']) {
      runTool('opj_compress', ['-i', join(dir, 'image.rawl'), '-o', join(dir, name), '-F', `${COLUMNS},${ROWS},1,12,u`, '-n', '3']);
    }
  });
  afterAll(() => {
    process.env.TMPDIR = savedTmp;
    rmSync(dir, { recursive: true, force: true });
  });

  it('is found on the PATH and chosen by auto', () => {
    expect(opjDecompressInstalled()).toBe(true);
    expect(decoderFor(TransferSyntaxUid.jpeg2000Lossless, 'auto')).toBe(opjDecompressDecoder);
  });

  it.each(['image.j2k', 'image.jp2'])('decodes %s losslessly, as the WASM build does, and leaves no file behind', async (name) => {
    const stream = readFileSync(join(dir, name));
    const ours = toStoredValues(await opjDecompressDecoder.decode(stream, info), info);
    await jpeg2000Decoder.ready();
    const wasm = toStoredValues(await jpeg2000Decoder.decode(stream, info), info);
    expect(Array.from(ours.pixels)).toEqual(Array.from(values));
    expect(Array.from(wasm.pixels)).toEqual(Array.from(values));
    expect(readdirSync(scratch)).toEqual([]);
  });

  it("rejects a truncated stream with OpenJPEG's reason, and leaves no file behind", async () => {
    const stream = readFileSync(join(dir, 'image.j2k'));
    await expect(opjDecompressDecoder.decode(stream.subarray(0, stream.length >> 1), info)).rejects.toThrow(/^opj_decompress: .*\[ERROR\]/);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('falls back to the bundled decoder, with a warning, when it cannot write its temporary files', async () => {
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => logger);
    process.env.TMPDIR = join(dir, 'no', 'such', 'folder');
    try {
      const frame = await opjDecompressDecoder.decode(readFileSync(join(dir, 'image.j2k')), info);
      expect(Array.from(toStoredValues(frame, info).pixels)).toEqual(Array.from(values));
      expect(warn).toHaveBeenCalledWith(
        'opj_decompress not usable, JPEG 2000 decoded with the bundled WASM build',
        expect.objectContaining({ reason: expect.stringMatching(/^no temporary folder \(ENOENT/) }),
      );
    } finally {
      process.env.TMPDIR = scratch;
      warn.mockRestore();
    }
  });

  it('refuses a stream whose size is not the header one', async () => {
    const stream = readFileSync(join(dir, 'image.j2k'));
    await expect(opjDecompressDecoder.decode(stream, { ...info, rows: COLUMNS, columns: ROWS })).rejects.toThrow(
      `codestream is ${COLUMNS} x ${ROWS}, header says ${ROWS} x ${COLUMNS}`,
    );
  });
});
