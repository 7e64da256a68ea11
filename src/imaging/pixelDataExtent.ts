import { isEncapsulated, TransferSyntaxUid } from '../dicom/transferSyntaxUid';

/** (7FE0,0010) Pixel Data tag as it appears in a little-endian stream. */
const PIXEL_DATA_TAG = Buffer.from([0xe0, 0x7f, 0x10, 0x00]);
const ITEM = 0xe000fffe;
const SEQUENCE_DELIMITER = 0xe0ddfffe;

interface ElementHeader {
  valueOffset: number;
  length: number;
}

/** Parses an element header at `at` (the tag) if it is plausible for Pixel Data. */
function pixelDataHeaderAt(bytes: Buffer, at: number, implicitVr: boolean): ElementHeader | undefined {
  if (implicitVr) {
    if (at + 8 > bytes.length) return undefined;
    return { valueOffset: at + 8, length: bytes.readUInt32LE(at + 4) };
  }
  if (at + 12 > bytes.length) return undefined;
  const vr = bytes.toString('latin1', at + 4, at + 6);
  if ((vr !== 'OB' && vr !== 'OW') || bytes[at + 6] !== 0 || bytes[at + 7] !== 0) return undefined;
  return { valueOffset: at + 12, length: bytes.readUInt32LE(at + 8) };
}

/**
 * dcmjs pads a Pixel Data value that runs past the end of the file instead of failing, so truncation
 * is checked here on the raw bytes: find the top-level Pixel Data element (the last plausible header;
 * an icon image's comes earlier) and check that its value, or every fragment of it, lies inside the
 * file. Returns a reason when truncated, undefined when complete (or when it cannot tell: big endian).
 */
export function pixelDataTruncation(file: Uint8Array, transferSyntaxUid: string): string | undefined {
  if (
    transferSyntaxUid === TransferSyntaxUid.explicitVrBigEndian ||
    transferSyntaxUid === TransferSyntaxUid.deflatedExplicitVrLittleEndian
  )
    return undefined;
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const implicitVr = transferSyntaxUid === TransferSyntaxUid.implicitVrLittleEndian;
  let header: ElementHeader | undefined;
  let fitting: ElementHeader | undefined;
  for (let at = bytes.indexOf(PIXEL_DATA_TAG); at >= 0; at = bytes.indexOf(PIXEL_DATA_TAG, at + 1)) {
    const h = pixelDataHeaderAt(bytes, at, implicitVr);
    const encapsulatedHeader = h?.length === 0xffffffff;
    if (!h || encapsulatedHeader !== isEncapsulated(transferSyntaxUid)) continue;
    header = h;
    if (encapsulatedHeader || h.valueOffset + h.length <= bytes.length) fitting = h;
  }
  // Implicit VR has no VR to confirm a match: the same four bytes inside 8- or 16-bit pixel values
  // look like a header with a random length. The last candidate whose value fits the file is the
  // element; only when none fits is the file truncated.
  if (implicitVr && fitting) header = fitting;
  if (!header) return 'no pixel data element';
  if (header.length !== 0xffffffff) {
    return header.valueOffset + header.length > bytes.length
      ? `truncated pixel data: ${bytes.length - header.valueOffset} of ${header.length} bytes in the file`
      : undefined;
  }
  // Encapsulated: items (offset table, fragments) until the sequence delimiter.
  let at = header.valueOffset;
  while (at + 8 <= bytes.length) {
    const tag = bytes.readUInt32LE(at);
    const length = bytes.readUInt32LE(at + 4);
    if (tag === SEQUENCE_DELIMITER) return undefined;
    if (tag !== ITEM) return 'malformed encapsulated pixel data (expected an item)';
    at += 8 + length;
  }
  return 'truncated encapsulated pixel data (no sequence delimiter before the end of the file)';
}
