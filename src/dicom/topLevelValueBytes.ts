import * as fs from 'fs';
import { parseFileMeta } from './part10HeaderReader';
import { readElementHead, skipUndefinedSequence, UNDEFINED_LENGTH } from './datasetHeaderScanner';
import { TransferSyntaxUid } from './transferSyntaxUid';

/**
 * The value bytes, as stored, of some top-level elements of a Part 10 file (for text dcmjs cannot
 * decode). Stops at the last wanted tag; a dataset it cannot walk (big endian, deflated, damaged)
 * gives what was found before, possibly nothing.
 */
export function topLevelValueBytes(file: Buffer, tags: readonly number[]): Map<number, Buffer> {
  const found = new Map<number, Buffer>();
  const meta = parseFileMeta(file);
  const syntax = meta?.transferSyntaxUid;
  if (!meta || syntax === TransferSyntaxUid.explicitVrBigEndian || syntax === TransferSyntaxUid.deflatedExplicitVrLittleEndian) return found;
  const explicitVr = syntax !== TransferSyntaxUid.implicitVrLittleEndian;
  const last = Math.max(...tags);
  let pos = meta.datasetOffset;
  try {
    while (pos < file.length) {
      const head = readElementHead(file, pos, explicitVr);
      if (head.tag > last) break;
      pos += head.headerLength;
      if (head.length === UNDEFINED_LENGTH) {
        pos = skipUndefinedSequence(file, pos, explicitVr && head.vr !== 'UN', 0);
        continue;
      }
      if (tags.includes(head.tag)) found.set(head.tag, file.subarray(pos, Math.min(file.length, pos + head.length)));
      pos += head.length;
    }
  } catch {
    // A dataset cut short or damaged: keep what was read.
  }
  return found;
}

/** Groups 0008-0020 come first; private data before them rarely takes more. */
const HEAD_BYTES = 256 * 1024;

/** topLevelValueBytes of a file's first 256 KiB (the pixel data is never read); nothing for a file that is not Part 10. */
export async function topLevelValueBytesOfFile(file: string, tags: readonly number[]): Promise<Map<number, Buffer>> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    return topLevelValueBytes(head.subarray(0, bytesRead), tags);
  } catch {
    return new Map();
  } finally {
    await handle.close();
  }
}
