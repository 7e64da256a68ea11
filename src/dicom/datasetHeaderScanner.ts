/**
 * Reads the few attributes the receiver and the study index need (UIDs, image type, modality,
 * laterality, view, whether it is a quality control image) from the beginning of a dataset as it
 * streams in, without ever holding the pixel data: scanning stops at the first top-level attribute
 * after (0028,0300) Quality Control Image, and bytes already walked are let go. Little endian only
 * (explicit or implicit VR), which covers every accepted transfer syntax: compressed ones encode the
 * dataset explicit VR little endian too.
 * Sequences of undefined length (including private VR UN ones, read as implicit VR per PS3.5 §6.2.2)
 * are skipped item by item. No patient attribute is ever kept.
 */
export interface DatasetHeader {
  /** Image Type (0008,0008) as stored, values separated by backslashes. */
  imageType?: string;
  sopClassUid?: string;
  sopInstanceUid?: string;
  modality?: string;
  viewPosition?: string;
  studyUid?: string;
  seriesUid?: string;
  laterality?: string;
  imageLaterality?: string;
  /** Quality Control Image (0028,0300): YES for a phantom or calibration image, NO, or BOTH (a patient too). */
  qualityControlImage?: string;
}

const WANTED: Record<number, keyof DatasetHeader> = {
  0x00080008: 'imageType',
  0x00080016: 'sopClassUid',
  0x00080018: 'sopInstanceUid',
  0x00080060: 'modality',
  0x00185101: 'viewPosition',
  0x0020000d: 'studyUid',
  0x0020000e: 'seriesUid',
  0x00200060: 'laterality',
  0x00200062: 'imageLaterality',
  0x00280300: 'qualityControlImage',
};
const LAST_WANTED_TAG = 0x00280300;
export const ITEM = 0xfffee000;
export const ITEM_DELIMITATION = 0xfffee00d;
export const SEQUENCE_DELIMITATION = 0xfffee0dd;
export const UNDEFINED_LENGTH = 0xffffffff;
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
export const MAX_DEPTH = 16;
const MAX_WANTED_VALUE = 256;

/** Thrown inside the walk when more bytes are needed before the current element can be read. */
export class NeedMore {}

export class MalformedDatasetError extends Error {}

export interface ElementHead {
  tag: number;
  vr: string | undefined;
  length: number;
  headerLength: number;
}

function readTag(buf: Buffer, pos: number): number {
  return ((buf.readUInt16LE(pos) << 16) | buf.readUInt16LE(pos + 2)) >>> 0;
}

export function readElementHead(buf: Buffer, pos: number, explicitVr: boolean): ElementHead {
  if (pos + 8 > buf.length) throw new NeedMore();
  const tag = readTag(buf, pos);
  // Item and delimiter tags have no VR in any transfer syntax.
  if (!explicitVr || tag >>> 16 === 0xfffe)
    return { tag, vr: undefined, length: buf.readUInt32LE(pos + 4), headerLength: 8 };
  const vr = buf.toString('latin1', pos + 4, pos + 6);
  if (!/^[A-Z]{2}$/.test(vr))
    throw new MalformedDatasetError(`not a VR at tag ${tag.toString(16).padStart(8, '0')}`);
  if (LONG_VRS.has(vr)) {
    if (pos + 12 > buf.length) throw new NeedMore();
    return { tag, vr, length: buf.readUInt32LE(pos + 8), headerLength: 12 };
  }
  return { tag, vr, length: buf.readUInt16LE(pos + 6), headerLength: 8 };
}

/** Walks the items of a sequence of undefined length; returns the offset just past its delimiter. */
export function skipUndefinedSequence(buf: Buffer, pos: number, explicitVr: boolean, depth: number): number {
  if (depth > MAX_DEPTH) throw new MalformedDatasetError('sequences nested too deep');
  for (;;) {
    const head = readElementHead(buf, pos, false);
    pos += 8;
    if (head.tag === SEQUENCE_DELIMITATION) return pos;
    if (head.tag !== ITEM)
      throw new MalformedDatasetError(`expected an item, found ${head.tag.toString(16)}`);
    if (head.length !== UNDEFINED_LENGTH) {
      pos += head.length;
      if (pos > buf.length) throw new NeedMore();
      continue;
    }
    pos = skipItemElements(buf, pos, explicitVr, depth + 1);
  }
}

/** Walks the elements of an item of undefined length; returns the offset just past its delimiter. */
function skipItemElements(buf: Buffer, pos: number, explicitVr: boolean, depth: number): number {
  for (;;) {
    if (pos + 8 > buf.length) throw new NeedMore();
    if (readTag(buf, pos) === ITEM_DELIMITATION) return pos + 8;
    const head = readElementHead(buf, pos, explicitVr);
    pos += head.headerLength;
    if (head.length === UNDEFINED_LENGTH) {
      pos = skipUndefinedSequence(buf, pos, explicitVr && head.vr !== 'UN', depth);
    } else {
      pos += head.length;
      if (pos > buf.length) throw new NeedMore();
    }
  }
}

function textValue(buf: Buffer, pos: number, length: number): string {
  return buf
    .toString('latin1', pos, pos + length)
    .replace(/[\0 ]+$/, '')
    .replace(/^ +/, '');
}

/**
 * Feed it the dataset bytes in order; it keeps at most `maxBufferedBytes` while an element it must
 * walk through (an undefined-length sequence) is incomplete.
 */
export class DatasetHeaderScanner {
  private readonly header: DatasetHeader = {};
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of a long, unwanted element still to be let go without buffering. */
  private skipRemaining = 0;
  private done = false;
  private failure: string | undefined;
  /**
   * An undefined-length sequence is walked again from its start once more bytes are in. Walking
   * again only when the buffer has doubled keeps a long one linear instead of quadratic.
   */
  private walkAt = 0;
  /** Chunks not yet joined to `pending` (joining each one would copy the buffer every time). */
  private unjoined: Buffer[] = [];
  private unjoinedBytes = 0;

  constructor(
    private readonly explicitVr: boolean,
    private readonly maxBufferedBytes = 16 * 1024 * 1024,
  ) {}

  /** True once every wanted attribute that exists has been seen (or the scan failed). */
  get complete(): boolean {
    return this.done || this.failure !== undefined;
  }

  get error(): string | undefined {
    return this.failure;
  }

  push(chunk: Buffer): void {
    if (this.complete) return;
    if (this.skipRemaining > 0) {
      const skipped = Math.min(this.skipRemaining, chunk.length);
      this.skipRemaining -= skipped;
      chunk = chunk.subarray(skipped);
      if (chunk.length === 0) return;
    }
    this.unjoined.push(chunk);
    this.unjoinedBytes += chunk.length;
    if (this.pending.length + this.unjoinedBytes >= this.walkAt) this.walkCatching();
  }

  /** Call at the end of the stream; the dataset may legitimately end before (0028,0300). */
  finish(): { header: DatasetHeader; error?: string } {
    if (!this.complete && this.unjoinedBytes > 0) this.walkCatching();
    if (!this.done && !this.failure && (this.pending.length > 0 || this.skipRemaining > 0)) {
      this.failure = 'dataset ends inside an element';
    }
    this.done = true;
    this.pending = Buffer.alloc(0);
    return this.failure ? { header: this.header, error: this.failure } : { header: this.header };
  }

  private walkCatching(): void {
    this.pending = Buffer.concat([this.pending, ...this.unjoined]);
    this.unjoined = [];
    this.unjoinedBytes = 0;
    try {
      this.walk();
    } catch (e) {
      this.failure = (e as Error).message;
      this.pending = Buffer.alloc(0);
    }
  }

  private walk(): void {
    let pos = 0;
    const buf = this.pending;
    try {
      while (pos < buf.length) {
        const head = readElementHead(buf, pos, this.explicitVr);
        if (head.tag > LAST_WANTED_TAG) {
          this.done = true;
          break;
        }
        const valueStart = pos + head.headerLength;
        if (head.length === UNDEFINED_LENGTH) {
          pos = skipUndefinedSequence(buf, valueStart, this.explicitVr && head.vr !== 'UN', 0);
          continue;
        }
        const key = WANTED[head.tag];
        // A UID, code or view that long is malformed; an Image Type that long (a vendor's many private
        // values) only decides nothing, so it streams past like an unwanted value.
        if (key && head.length > MAX_WANTED_VALUE && key !== 'imageType') throw new MalformedDatasetError(`value of ${key} too long`);
        if (key && head.length <= MAX_WANTED_VALUE) {
          if (valueStart + head.length > buf.length) throw new NeedMore();
          this.header[key] = textValue(buf, valueStart, head.length);
          pos = valueStart + head.length;
          continue;
        }
        if (valueStart + head.length > buf.length) {
          // A long value we do not want: let it stream past.
          this.skipRemaining = valueStart + head.length - buf.length;
          pos = buf.length;
          break;
        }
        pos = valueStart + head.length;
      }
    } catch (e) {
      if (!(e instanceof NeedMore)) throw e;
    }
    this.pending = this.done ? Buffer.alloc(0) : buf.subarray(pos);
    this.walkAt = 2 * this.pending.length;
    if (this.pending.length > this.maxBufferedBytes) {
      throw new MalformedDatasetError(`no end of header within ${this.maxBufferedBytes} bytes`);
    }
  }
}

/** Scans a whole buffer at once (tests, and files read back from the spool). */
export function scanDatasetHeader(
  dataset: Buffer,
  explicitVr: boolean,
): { header: DatasetHeader; error?: string } {
  const scanner = new DatasetHeaderScanner(explicitVr);
  scanner.push(dataset);
  return scanner.finish();
}
