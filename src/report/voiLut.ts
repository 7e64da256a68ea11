import { allValues, firstValue, type NaturalDataset } from './naturalDataset';
import type { SourceImage } from './sourceImage';

/** A VOI LUT (PS3.3 C.11.2.1.1): [entries (0 = 65536), first stored value mapped, bits per entry] and its data. */
export interface VoiLut {
  descriptor: [number, number, number];
  data: number[];
  explanation?: string;
}

/** The source's first VOI LUT Sequence item, or undefined when it has none or it is inconsistent. */
export function readVoiLut(header: NaturalDataset): VoiLut | undefined {
  const item = firstValue<NaturalDataset>(header, 'VOILUTSequence');
  if (!item) return undefined;
  const descriptor = allValues<number | string>(item, 'LUTDescriptor').map(Number);
  if (descriptor.length !== 3 || !descriptor.every(Number.isFinite)) return undefined;
  const entries = descriptor[0] === 0 ? 65536 : descriptor[0];
  // dcmjs gives US data as numbers, OW data as an ArrayBuffer (alone or in an array); OW holds
  // 8-bit entries packed two to a word (PS3.3 C.11.2.1.1).
  const raw = allValues<number | ArrayBuffer>(item, 'LUTData');
  const packed = raw[0] instanceof ArrayBuffer && descriptor[2] === 8 && raw[0].byteLength < 2 * entries;
  const data =
    raw[0] instanceof ArrayBuffer
      ? [...(packed ? new Uint8Array(raw[0]) : new Uint16Array(raw[0]))]
      : raw.map(Number);
  if (data.length < entries || !(descriptor[2] >= 8 && descriptor[2] <= 16)) return undefined;
  const explanation = firstValue<string>(item, 'LUTExplanation');
  return {
    descriptor: [descriptor[0], descriptor[1], descriptor[2]],
    data: data.slice(0, entries),
    ...(explanation && { explanation }),
  };
}

/** Stored pixel values the image can hold, from Bits Stored and Pixel Representation. */
export function storedRange(header: NaturalDataset): { min: number; max: number } {
  const bits = Math.min(16, Math.max(1, Number(firstValue(header, 'BitsStored') ?? 16) || 16));
  return Number(firstValue(header, 'PixelRepresentation')) === 1
    ? { min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 }
    : { min: 0, max: 2 ** bits - 1 };
}

const OUTPUT_MAX = 65535;

/** The linear VOI function of a window (PS3.3 C.11.2.1.2.1) as a 16-bit LUT over the window's span. */
function windowLut(center: number, width: number, range: { min: number; max: number }): VoiLut {
  const low = Math.max(range.min, Math.floor(center - 0.5 - (width - 1) / 2));
  const high = Math.min(range.max, Math.max(low + 1, Math.ceil(center - 0.5 + (width - 1) / 2)), low + 65535);
  const data: number[] = [];
  for (let x = low; x <= high; x++) {
    const y = ((x - (center - 0.5)) / Math.max(width - 1, 1) + 0.5) * OUTPUT_MAX;
    data.push(Math.round(Math.min(OUTPUT_MAX, Math.max(0, y))));
  }
  return { descriptor: [data.length === 65536 ? 0 : data.length, low, 16], data };
}

/**
 * The same LUT with 16-bit entries: 8-bit entries in OW would have to be packed two to a word
 * (PS3.3 C.11.2.1.1), which readers get wrong; output is relative to its maximum, so scaling keeps the look.
 */
function sixteenBit(lut: VoiLut): VoiLut {
  const bits = lut.descriptor[2];
  if (bits === 16) return lut;
  const scale = OUTPUT_MAX / (2 ** bits - 1);
  return {
    ...lut,
    descriptor: [lut.descriptor[0], lut.descriptor[1], 16],
    data: lut.data.map((v) => Math.round(v * scale)),
  };
}

function lutItem(lut: VoiLut): NaturalDataset {
  return {
    VOILUTSequence: [
      {
        LUTDescriptor: lut.descriptor,
        // OW: a 16-bit length (US) cannot hold more than 32767 entries.
        LUTData: new Uint16Array(lut.data).buffer,
        ...(lut.explanation && { LUTExplanation: lut.explanation }),
        _vrMap: { LUTDescriptor: lut.descriptor[1] < 0 ? 'SS' : 'US', LUTData: 'OW' },
      },
    ],
  };
}

/**
 * The Softcopy VOI LUT attributes that keep an image's own look under the presentation state: its
 * default window, else its VOI LUT. `invert` (a MONOCHROME1 image in a presentation state whose
 * Presentation LUT is IDENTITY, because the study mixes photometric interpretations) turns either
 * into a descending LUT, over the whole stored range where the image has neither.
 */
export function softcopyVoi(source: SourceImage, invert: boolean): NaturalDataset | undefined {
  const window = source.windows[0];
  if (window && !invert) {
    return {
      WindowCenter: window.center,
      WindowWidth: window.width,
      ...(window.explanation && { WindowCenterWidthExplanation: window.explanation }),
      ...(source.voiLutFunction && { VOILUTFunction: source.voiLutFunction }),
    };
  }
  const { min, max } = source.storedRange;
  const lut = window
    ? windowLut(window.center, window.width, source.storedRange)
    : (source.voiLut ??
      (invert ? windowLut((min + max + 1) / 2, max - min + 1, source.storedRange) : undefined));
  if (!lut) return undefined;
  const wide = sixteenBit(lut);
  return lutItem(invert ? { ...wide, data: wide.data.map((v) => OUTPUT_MAX - v) } : wide);
}
