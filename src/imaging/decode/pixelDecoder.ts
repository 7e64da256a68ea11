/** What a decoder needs to know about the frame it decodes (from the ImageHeader, validated). */
export interface FrameInfo {
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  signed: boolean;
  samplesPerPixel: number;
  transferSyntaxUid: string;
}

/**
 * The raw decoded samples of one frame: little-endian words `bitsAllocated` wide (8 → 1 byte,
 * 16 → 2, 32 → 4), one sample per pixel, before Bits Stored masking (storedValues.ts does that
 * once for every decoder). `valueShift` is how far the stored bits sit above bit 0 (High Bit + 1 -
 * Bits Stored for native data; 0 for codecs, which always return the value in the low bits).
 */
export interface RawFrame {
  bytes: Uint8Array;
  bytesPerSample: 1 | 2 | 4;
  valueShift: number;
  /**
   * True for byte-exact data (native, RLE): bits above High Bit are not pixel data (overlays, junk)
   * and are cleared. False for codec output: the word is the decoded sample; a lossy stream may
   * overshoot the Bits Stored range and that value is kept, as dcmtk and GDCM keep it.
   */
  maskToBitsStored: boolean;
}

/** One decoder per transfer syntax family; `decode` throws on a corrupt stream (the caller maps that). */
export interface PixelDecoder {
  /** Short name for logs and the benchmark ("native", "rle", "dcmjs-codecs jpeg2000", ...). */
  readonly name: string;
  readonly transferSyntaxUids: readonly string[];
  /** Compressed codecs need WASM set up once; native ones resolve at once. */
  ready(): Promise<void>;
  /** `data` is the whole frame: native bytes, or the frame's fragments concatenated. A decoder that
   * runs a child process (opj_decompress) answers asynchronously. */
  decode(data: Uint8Array, info: FrameInfo): RawFrame | Promise<RawFrame>;
}
