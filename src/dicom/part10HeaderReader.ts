import * as fs from 'fs';
import { DatasetHeader, DatasetHeaderScanner } from './datasetHeaderScanner';
import { TransferSyntaxUid } from './transferSyntaxUid';

const CHUNK_BYTES = 64 * 1024;

export interface Part10Header {
  transferSyntaxUid: string;
  /** (0002,0016) Source Application Entity Title, when present. */
  sourceAeTitle?: string;
  /** Offset of the dataset (just after group 0002). */
  datasetOffset: number;
  header: DatasetHeader;
}

/** Parses the preamble and group 0002 of a Part 10 file held in `buf`; undefined when incomplete. */
export function parseFileMeta(
  buf: Buffer,
): { transferSyntaxUid: string; datasetOffset: number; sourceAeTitle?: string } | undefined {
  if (buf.length < 144) return undefined;
  if (buf.toString('latin1', 128, 132) !== 'DICM') throw new Error('not a Part 10 file (no DICM prefix)');
  if (buf.readUInt16LE(132) !== 0x0002 || buf.readUInt16LE(134) !== 0x0000) {
    throw new Error('file meta has no group length');
  }
  const datasetOffset = 144 + buf.readUInt32LE(140);
  if (buf.length < datasetOffset) return undefined;
  let pos = 144;
  let transferSyntaxUid: string | undefined;
  let sourceAeTitle: string | undefined;
  while (pos + 8 <= datasetOffset) {
    const element = buf.readUInt16LE(pos + 2);
    const vr = buf.toString('latin1', pos + 4, pos + 6);
    const long = ['OB', 'OW', 'UN', 'SQ', 'UT'].includes(vr);
    const length = long ? buf.readUInt32LE(pos + 8) : buf.readUInt16LE(pos + 6);
    const valueStart = pos + (long ? 12 : 8);
    const value = () =>
      buf
        .toString('latin1', valueStart, valueStart + length)
        .replace(/[\0 ]+$/, '')
        .trim();
    if (element === 0x0010) transferSyntaxUid = value();
    if (element === 0x0016) sourceAeTitle = value();
    pos = valueStart + length;
  }
  if (!transferSyntaxUid) throw new Error('file meta has no transfer syntax');
  return { transferSyntaxUid, datasetOffset, ...(sourceAeTitle ? { sourceAeTitle } : {}) };
}

/**
 * Reads a spooled file's header only: group 0002 and the dataset up to Image Laterality, in 64 KiB
 * chunks, never the pixel data.
 */
export async function readPart10Header(file: string): Promise<Part10Header> {
  const handle = await fs.promises.open(file, 'r');
  try {
    let head = Buffer.alloc(0);
    let position = 0;
    let meta: ReturnType<typeof parseFileMeta>;
    while (!meta) {
      const chunk = Buffer.alloc(CHUNK_BYTES);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) throw new Error('file ends inside its file meta');
      position += bytesRead;
      head = Buffer.concat([head, chunk.subarray(0, bytesRead)]);
      meta = parseFileMeta(head);
    }
    const scanner = new DatasetHeaderScanner(meta.transferSyntaxUid !== TransferSyntaxUid.implicitVrLittleEndian);
    scanner.push(head.subarray(meta.datasetOffset));
    while (!scanner.complete) {
      const chunk = Buffer.alloc(CHUNK_BYTES);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      scanner.push(chunk.subarray(0, bytesRead));
    }
    const result = scanner.finish();
    if (result.error) throw new Error(`cannot read dataset header: ${result.error}`);
    return { ...meta, header: result.header };
  } finally {
    await handle.close();
  }
}
