import { readFileSync } from 'node:fs';
import { writeSyntheticMammogram, type SyntheticMammogramOptions } from './syntheticMammogramFile';

// dcmjs and OpenJPH's WASM build ship no type declarations.
const dcmjsData: any = require('dcmjs').data;

/**
 * An HTJ2K reference decode by OpenJPH (a development dependency), an implementation independent of
 * the OpenJPEG the node decodes with: the stored values of `encoded`, written uncompressed to
 * `reference` with the base image's header.
 */
export async function openJphReferenceDecode(encoded: string, reference: string, base: SyntheticMammogramOptions): Promise<void> {
  const bytes = readFileSync(encoded);
  const ds = dcmjsData.DicomMetaDictionary.naturalizeDataset(
    dcmjsData.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).dict,
  );
  const codestream = new Uint8Array(ds.PixelData[0]);
  const jph = await require('@cornerstonejs/codec-openjph')();
  const decoder = new jph.HTJ2KDecoder();
  try {
    decoder.getEncodedBuffer(codestream.length).set(codestream);
    decoder.decode();
    const decoded: Uint8Array = decoder.getDecodedBuffer();
    const samples = base.bitsAllocated === 8
      ? (base.signed ? new Int8Array(decoded.buffer, decoded.byteOffset, decoded.length) : decoded)
      : base.signed
        ? new Int16Array(decoded.slice().buffer)
        : new Uint16Array(decoded.slice().buffer);
    writeSyntheticMammogram(reference, { ...base, values: Int32Array.from(samples) });
  } finally {
    decoder.delete();
  }
}
