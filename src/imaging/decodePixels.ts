import type { DecodedImage } from './decodedImage';
import { decoderFor, type Jpeg2000DecoderChoice } from './decode/decoderRegistry';
import { firstFrameBytes } from './decode/frameData';
import { toStoredValues } from './decode/storedValues';
import { frameInfoFromHeader } from './frameInfo';
import { readImageHeader, type ImageHeader } from './imageHeader';
import { isNotAnalysable, notAnalysable, type NotAnalysable } from './notAnalysable';
import { readDicom, type ParsedDicom } from './readDicom';

/** A file path, Part 10 bytes, or an already parsed dataset (with its transfer syntax). */
export type DicomSource = string | Uint8Array | ArrayBuffer | ParsedDicom;

function isParsed(x: DicomSource): x is ParsedDicom {
  return typeof x === 'object' && !(x instanceof ArrayBuffer) && !ArrayBuffer.isView(x) && 'dataset' in x;
}

/** Decodes the first frame of a dataset whose header has been read already. Never throws. */
export async function decodeDataset(
  dataset: Record<string, any>,
  header: ImageHeader,
  jpeg2000: Jpeg2000DecoderChoice = 'auto',
): Promise<DecodedImage | NotAnalysable> {
  const info = frameInfoFromHeader(header);
  if (isNotAnalysable(info)) return info;
  const decoder = decoderFor(info.transferSyntaxUid, jpeg2000);
  if (!decoder) return notAnalysable(`unsupported transfer syntax ${info.transferSyntaxUid}`);
  const data = firstFrameBytes(dataset.PixelData, info.transferSyntaxUid, header.numberOfFrames);
  if (!data || data.length === 0) return notAnalysable('no pixel data');
  try {
    await decoder.ready();
    return toStoredValues(await decoder.decode(data, info), info);
  } catch (e) {
    return notAnalysable(`pixel data cannot be decoded (${decoder.name}): ${(e as Error).message}`);
  }
}

/** Reads (if needed) and decodes the first frame to stored values. Never throws. */
export async function decodePixels(source: DicomSource, jpeg2000: Jpeg2000DecoderChoice = 'auto'): Promise<DecodedImage | NotAnalysable> {
  const parsed = isParsed(source) ? source : readDicom(source);
  if (isNotAnalysable(parsed)) return parsed;
  return decodeDataset(parsed.dataset, readImageHeader(parsed.dataset, parsed.transferSyntaxUid), jpeg2000);
}
