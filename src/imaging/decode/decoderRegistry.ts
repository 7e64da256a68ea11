import { jpeg2000Decoder } from './jpeg2000Decoder';
import { jpegDecoder } from './jpegDecoder';
import { jpegLsDecoder } from './jpegLsDecoder';
import { nativeDecoder } from './nativeDecoder';
import type { PixelDecoder } from './pixelDecoder';
import { rleDecoder } from './rleDecoder';

const ALL_DECODERS: readonly PixelDecoder[] = [
  nativeDecoder,
  rleDecoder,
  jpegDecoder,
  jpegLsDecoder,
  jpeg2000Decoder,
];

const BY_SYNTAX = new Map<string, PixelDecoder>();
for (const decoder of ALL_DECODERS) for (const uid of decoder.transferSyntaxUids) BY_SYNTAX.set(uid, decoder);

/** The decoder for a transfer syntax, or undefined when the syntax is not supported. */
export function decoderFor(transferSyntaxUid: string): PixelDecoder | undefined {
  return BY_SYNTAX.get(transferSyntaxUid);
}

export function supportedTransferSyntaxes(): string[] {
  return [...BY_SYNTAX.keys()];
}
