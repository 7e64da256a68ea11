/**
 * Follows PDU boundaries in the raw byte stream of one connection and reports the first PDU longer
 * than allowed. dcmjs-dimse buffers a whole PDU before parsing it, so a peer announcing a 4 GB PDU
 * would otherwise make us hold (and re-copy) everything it sends. We announce a 64 KiB maximum;
 * the limit leaves room for association PDUs with many presentation contexts.
 */
export class PduLengthGuard {
  private header = Buffer.alloc(0);
  private remaining = 0;

  constructor(private readonly maxPduLength: number) {}

  /** Returns a reason when `chunk` starts a PDU over the limit, else undefined. */
  feed(chunk: Buffer): string | undefined {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.remaining > 0) {
        const skip = Math.min(this.remaining, chunk.length - pos);
        this.remaining -= skip;
        pos += skip;
        continue;
      }
      const need = 6 - this.header.length;
      this.header = Buffer.concat([this.header, chunk.subarray(pos, pos + need)]);
      pos += Math.min(need, chunk.length - pos);
      if (this.header.length < 6) return undefined;
      const length = this.header.readUInt32BE(2);
      const type = this.header[0];
      this.header = Buffer.alloc(0);
      if (length > this.maxPduLength)
        return `PDU of type ${type} announces ${length} bytes (limit ${this.maxPduLength})`;
      this.remaining = length;
    }
    return undefined;
  }
}
