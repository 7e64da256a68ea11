import { PduLengthGuard } from '../../../src/dicom/pduLengthGuard';

function pdu(type: number, length: number, body = length): Buffer {
  const head = Buffer.alloc(6);
  head.writeUInt8(type, 0);
  head.writeUInt32BE(length, 2);
  return Buffer.concat([head, Buffer.alloc(body, 0xab)]);
}

describe('PDU length guard', () => {
  it('follows PDU boundaries across any chunking and lets PDUs within the limit pass', () => {
    const stream = Buffer.concat([pdu(1, 300), pdu(4, 1000), pdu(4, 1024), pdu(5, 4)]);
    for (const size of [1, 5, 6, 7, 333, stream.length]) {
      const guard = new PduLengthGuard(1024);
      for (let i = 0; i < stream.length; i += size)
        expect(guard.feed(stream.subarray(i, i + size))).toBeUndefined();
    }
  });

  it('reports the first PDU that announces more than the limit, even split inside its header', () => {
    const stream = Buffer.concat([pdu(4, 10), pdu(4, 0xffffffff, 0)]);
    const guard = new PduLengthGuard(65536);
    expect(guard.feed(stream.subarray(0, 18))).toBeUndefined();
    expect(guard.feed(stream.subarray(18))).toMatch(/announces 4294967295 bytes/);
  });
});
