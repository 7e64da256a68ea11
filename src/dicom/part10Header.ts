import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from './implementationIdentity';

export interface FileMetaFields {
  mediaStorageSopClassUid: string;
  mediaStorageSopInstanceUid: string;
  transferSyntaxUid: string;
  sourceAeTitle?: string;
}

/** One explicit VR little endian element; VR with a 2-byte length only (all we need in group 0002 but OB). */
function element(elementNumber: number, vr: string, value: Buffer): Buffer {
  if (vr === 'OB') {
    const head = Buffer.alloc(12);
    head.writeUInt16LE(0x0002, 0);
    head.writeUInt16LE(elementNumber, 2);
    head.write(vr, 4, 'ascii');
    head.writeUInt32LE(value.length, 8);
    return Buffer.concat([head, value]);
  }
  const head = Buffer.alloc(8);
  head.writeUInt16LE(0x0002, 0);
  head.writeUInt16LE(elementNumber, 2);
  head.write(vr, 4, 'ascii');
  head.writeUInt16LE(value.length, 6);
  return Buffer.concat([head, value]);
}

/** Text padded to even length: UI with NUL, other string VRs with a space (PS3.5 §6.2). */
function text(value: string, pad: '\0' | ' '): Buffer {
  return Buffer.from(value.length % 2 === 0 ? value : value + pad, 'ascii');
}

/**
 * The 128-byte preamble, "DICM" and the File Meta Information (PS3.10 §7.1) that turn a dataset as
 * received over the network into a Part 10 file. The transfer syntax is the one of the presentation
 * context the dataset came on, so compressed data is described exactly as received.
 */
export function buildPart10Header(fields: FileMetaFields): Buffer {
  const elements = [
    element(0x0001, 'OB', Buffer.from([0x00, 0x01])),
    element(0x0002, 'UI', text(fields.mediaStorageSopClassUid, '\0')),
    element(0x0003, 'UI', text(fields.mediaStorageSopInstanceUid, '\0')),
    element(0x0010, 'UI', text(fields.transferSyntaxUid, '\0')),
    element(0x0012, 'UI', text(IMPLEMENTATION_CLASS_UID, '\0')),
    element(0x0013, 'SH', text(IMPLEMENTATION_VERSION_NAME, ' ')),
  ];
  const sourceAe = fields.sourceAeTitle?.trim();
  if (sourceAe) elements.push(element(0x0016, 'AE', text(sourceAe, ' ')));
  const body = Buffer.concat(elements);
  const groupLength = Buffer.alloc(12);
  groupLength.writeUInt16LE(0x0002, 0);
  groupLength.writeUInt16LE(0x0000, 2);
  groupLength.write('UL', 4, 'ascii');
  groupLength.writeUInt16LE(4, 6);
  groupLength.writeUInt32LE(body.length, 8);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'ascii'), groupLength, body]);
}
