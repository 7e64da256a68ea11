import { readFile, writeFile } from 'node:fs/promises';
import { TransferSyntaxUid } from '../../dicom/transferSyntaxUid';

// dcmjs and OpenJPH's WASM build ship no type declarations.
const dcmjsData: any = require('dcmjs').data;

/** OpenJPH progression order RPCL (its enum: LRCP, RLCP, RPCL, PCRL, CPRL). */
const RPCL = 2;
/** Irreversible quantisation step of the lossy syntax: about 10:1 on the synthetic mammograms. */
const LOSSY_QUANTIZATION_STEP = 0.005;

let openJph: Promise<any> | undefined;

/**
 * High-Throughput JPEG 2000 (ISO/IEC 15444-15) through OpenJPH's WASM build (a development
 * dependency): no Debian tool writes HTJ2K. .201 reversible; .202 reversible with what PS3.5 A.4.11
 * asks of it (RPCL progression, a TLM marker, a tile-part per resolution); .203 irreversible.
 * Single-frame monochrome input in Explicit VR Little Endian, as the synthetic writer makes.
 */
export async function encodeWithOpenJph(input: string, output: string, syntax: string): Promise<void> {
  const lossless = syntax === TransferSyntaxUid.htj2kLossless || syntax === TransferSyntaxUid.htj2kLosslessRpcl;
  if (!lossless && syntax !== TransferSyntaxUid.htj2k) throw new Error(`OpenJPH cannot write transfer syntax ${syntax}`);
  const bytes = await readFile(input);
  const dicom = dcmjsData.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const ds = dcmjsData.DicomMetaDictionary.naturalizeDataset(dicom.dict);
  if (ds.SamplesPerPixel !== 1 || (ds.NumberOfFrames ?? 1) > 1) throw new Error('OpenJPH codec: single-frame monochrome images only');
  const jph = await (openJph ??= require('@cornerstonejs/codec-openjph')());
  const encoder = new jph.HTJ2KEncoder();
  try {
    const pixels = new Uint8Array(ds.PixelData[0]);
    const frame = { width: ds.Columns, height: ds.Rows, bitsPerSample: ds.BitsStored, componentCount: 1, isSigned: ds.PixelRepresentation === 1, isUsingColorTransform: false };
    encoder.getDecodedBuffer(frame).set(pixels.subarray(0, ds.Rows * ds.Columns * (ds.BitsAllocated / 8)));
    encoder.setQuality(lossless, lossless ? 0 : LOSSY_QUANTIZATION_STEP);
    if (syntax === TransferSyntaxUid.htj2kLosslessRpcl) {
      encoder.setProgressionOrder(RPCL);
      encoder.setTLMMarker(true);
      encoder.setTilePartDivisionsAtResolutions(true);
    }
    encoder.encode();
    const codestream: Uint8Array = encoder.getEncodedBuffer();
    // A copy: the encoder's buffer lives in WASM memory, freed with the encoder.
    const fragment = codestream.slice().buffer;
    ds.PixelData = [fragment];
    ds._vrMap = { ...ds._vrMap, PixelData: 'OB' };
    if (!lossless) {
      ds.LossyImageCompression = '01';
      ds.LossyImageCompressionMethod = 'ISO_15444_15';
    }
  } finally {
    encoder.delete();
  }
  const meta = dcmjsData.DicomMetaDictionary.naturalizeDataset(dicom.meta);
  meta.TransferSyntaxUID = syntax;
  const out = new dcmjsData.DicomDict(dcmjsData.DicomMetaDictionary.denaturalizeDataset(meta));
  out.dict = dcmjsData.DicomMetaDictionary.denaturalizeDataset(ds);
  await writeFile(output, Buffer.from(out.write({ fragmentMultiframe: false })));
}
