/** Stored pixel values of one frame, as the transfer syntax's decoder produced them. */
export type StoredPixels = Int32Array | Uint16Array | Int16Array | Uint8Array;

export interface DecodedImage {
  rows: number;
  columns: number;
  /** Row-major stored values: only Bits Stored bits kept, sign-extended when signed. */
  pixels: StoredPixels;
  bitsStored: number;
  signed: boolean;
}
