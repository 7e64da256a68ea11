import { readFileSync } from 'node:fs';
import { notAnalysable, type NotAnalysable } from './notAnalysable';
import { pixelDataTruncation } from './pixelDataExtent';

const dcmjs = require('dcmjs');

/** A parsed DICOM object: dcmjs naturalized dataset plus the transfer syntax from its meta header. */
export interface ParsedDicom {
  dataset: Record<string, any>;
  transferSyntaxUid: string;
}

/** Parses a Part 10 file (path or bytes). Unreadable files and truncated pixel data become NotAnalysable. */
export function readDicom(source: string | Uint8Array | ArrayBuffer): ParsedDicom | NotAnalysable {
  let bytes: ArrayBuffer;
  try {
    if (typeof source === 'string') {
      const b = readFileSync(source);
      bytes = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    } else if (source instanceof ArrayBuffer) {
      bytes = source;
    } else {
      bytes = source.buffer.slice(source.byteOffset, source.byteOffset + source.byteLength) as ArrayBuffer;
    }
  } catch (e) {
    return notAnalysable(`cannot read file: ${(e as Error).message}`);
  }
  let message: any;
  try {
    message = dcmjs.data.DicomMessage.readFile(bytes);
  } catch (strictError) {
    // Some modalities write oddities dcmjs refuses in strict mode (e.g. Hologic's VR UN sequence of
    // undefined length); its lenient mode reads past them. Real damage is still caught below.
    try {
      message = dcmjs.data.DicomMessage.readFile(bytes, { ignoreErrors: true });
    } catch {
      return notAnalysable(`unreadable or truncated DICOM file: ${(strictError as Error).message}`);
    }
  }
  try {
    const dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(message.dict);
    const meta = dcmjs.data.DicomMetaDictionary.naturalizeDataset(message.meta);
    const transferSyntaxUid = String(meta.TransferSyntaxUID ?? '').trim();
    if (!transferSyntaxUid) return notAnalysable('missing transfer syntax in file meta information');
    if (dataset.PixelData !== undefined) {
      const truncated = pixelDataTruncation(new Uint8Array(bytes), transferSyntaxUid);
      if (truncated) return notAnalysable(truncated);
    }
    return { dataset, transferSyntaxUid };
  } catch (e) {
    return notAnalysable(`unreadable DICOM file: ${(e as Error).message}`);
  }
}
