import { jpeg2000Decoder } from './jpeg2000Decoder';
import { jpegDecoder } from './jpegDecoder';
import { jpegLsDecoder } from './jpegLsDecoder';
import { nativeDecoder } from './nativeDecoder';
import { opjDecompressDecoder, opjDecompressInstalled } from './opjDecompressDecoder';
import type { PixelDecoder } from './pixelDecoder';
import { rleDecoder } from './rleDecoder';

/** imaging.jpeg2000Decoder: `auto` takes opj_decompress where it is installed, `wasm` always the bundled build. */
export type Jpeg2000DecoderChoice = 'auto' | 'wasm';

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
export function decoderFor(transferSyntaxUid: string, jpeg2000: Jpeg2000DecoderChoice = 'auto'): PixelDecoder | undefined {
  const decoder = BY_SYNTAX.get(transferSyntaxUid);
  return decoder === jpeg2000Decoder ? jpeg2000DecoderFor(jpeg2000, opjDecompressInstalled()) : decoder;
}

export function jpeg2000DecoderFor(choice: Jpeg2000DecoderChoice, opjDecompressFound: boolean): PixelDecoder {
  return choice === 'auto' && opjDecompressFound ? opjDecompressDecoder : jpeg2000Decoder;
}

export function supportedTransferSyntaxes(): string[] {
  return [...BY_SYNTAX.keys()];
}
