/** The imaging stage's public interface (decode → calibrate → resample → mask → tiles). */
export type { DecodedImage, StoredPixels } from './decodedImage';
export type { ImageHeader, ModalityLut, PresentationIntent } from './imageHeader';
export type { PreparedImage, PrepareOptions, PrepareResult } from './preparedImage';
export type { ImageTransform } from './imageTransform';
export type { Tile } from './tiling';
export type { NotAnalysable } from './notAnalysable';
export type { PixelDecoder, FrameInfo, RawFrame } from './decode/pixelDecoder';
export { readImageHeader } from './imageHeader';
export { decodePixels, decodeDataset, type DicomSource } from './decodePixels';
export { readDicom, type ParsedDicom } from './readDicom';
export { prepareDecoded, prepareImage } from './prepareImage';
export { tileBreast } from './tiling';
export { loadPngImage, type PngImage, type PngImageOptions } from './pngImage';
export { BACKGROUND_VALUE, normalizeIntensity } from './normalizeIntensity';
export { isNotAnalysable, notAnalysable } from './notAnalysable';
export { decoderFor, supportedTransferSyntaxes } from './decode/decoderRegistry';
export { TransferSyntaxUid } from '../dicom/transferSyntaxUid';
