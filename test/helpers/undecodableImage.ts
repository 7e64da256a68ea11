import * as fs from 'fs';

/**
 * Makes an uncompressed image undecodable while keeping it a well-formed DICOM file that any sender
 * passes on as is: Rows is raised so that Pixel Data holds far fewer pixels than Rows × Columns.
 * Only pixel decoding notices.
 */
export function writeUndecodableImage(source: string, target: string, rows = 4000): void {
  const bytes = fs.readFileSync(source);
  // (0028,0010) US, Explicit VR Little Endian: tag, "US", length 2, value.
  const rowsElement = bytes.indexOf(Buffer.from([0x28, 0x00, 0x10, 0x00, 0x55, 0x53, 0x02, 0x00]));
  if (rowsElement < 0) throw new Error(`no Explicit VR Rows element in ${source}`);
  bytes.writeUInt16LE(rows, rowsElement + 8);
  fs.writeFileSync(target, bytes);
}
