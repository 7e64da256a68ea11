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
