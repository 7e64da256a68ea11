import {
  ITEM,
  ITEM_DELIMITATION,
  MAX_DEPTH,
  NeedMore,
  readElementHead,
  SEQUENCE_DELIMITATION,
  UNDEFINED_LENGTH,
  type ElementHead,
} from './datasetHeaderScanner';

/** Where the walk is: among elements (the top level, or an item of undefined length), or among the items of an undefined-length sequence. */
interface Level {
  kind: 'elements' | 'items';
  explicitVr: boolean;
}

/**
 * Follows a streamed dataset's element structure to its end, in constant memory: values are
 * skipped by their lengths (pixel data and fragments included), undefined-length sequences and
 * items are tracked on a stack. finish() then tells whether the data ended on an element
 * boundary, which a dataset cut short in its pixel data does not. (The header scanner stops after
 * (0028,0300), so it cannot see that.)
 */
export class DatasetStructureWalker {
  private readonly levels: Level[];
  /** Bytes of an element header that straddles two chunks (at most 12). */
  private head = Buffer.alloc(0);
  private skip = 0;
  private failure: string | undefined;

  constructor(explicitVr: boolean) {
    this.levels = [{ kind: 'elements', explicitVr }];
  }

  push(chunk: Buffer): void {
    let pos = 0;
    while (this.failure === undefined && pos < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - pos);
        this.skip -= n;
        pos += n;
        continue;
      }
      const level = this.levels[this.levels.length - 1];
      // Items and delimiters have no VR; an element header is 8 bytes, or 12 for the long VRs.
      const explicitVr = level.kind === 'elements' && level.explicitVr;
      const wanted = this.head.length < 8 ? 8 : 12;
      const take = Math.min(wanted - this.head.length, chunk.length - pos);
      this.head = Buffer.concat([this.head, chunk.subarray(pos, pos + take)]);
      pos += take;
      if (this.head.length < 8) break;
      let element: ElementHead;
      try {
        element = readElementHead(this.head, 0, explicitVr);
      } catch (e) {
        if (e instanceof NeedMore) continue;
        this.failure = (e as Error).message;
        break;
      }
      this.head = Buffer.alloc(0);
      this.step(level, element);
    }
  }

  /** Why the dataset is incomplete or malformed, or undefined when it ended on an element boundary. */
  finish(): string | undefined {
    if (this.failure) return this.failure;
    if (this.skip > 0 || this.head.length > 0 || this.levels.length > 1)
      return 'dataset ends inside an element';
    return undefined;
  }

  private step(level: Level, element: ElementHead): void {
    const { tag, length } = element;
    if (level.kind === 'items') {
      if (tag === SEQUENCE_DELIMITATION) this.levels.pop();
      else if (tag !== ITEM) this.failure = `expected an item, found ${tag.toString(16)}`;
      else if (length === UNDEFINED_LENGTH) this.enter({ kind: 'elements', explicitVr: level.explicitVr });
      else this.skip = length;
      return;
    }
    if (tag === ITEM_DELIMITATION && this.levels.length > 1) this.levels.pop();
    // A VR UN sequence of undefined length is encoded implicit VR inside (PS3.5 §6.2.2).
    else if (length === UNDEFINED_LENGTH)
      this.enter({ kind: 'items', explicitVr: level.explicitVr && element.vr !== 'UN' });
    else this.skip = length;
  }

  private enter(level: Level): void {
    if (this.levels.length > 2 * MAX_DEPTH) this.failure = 'sequences nested too deep';
    else this.levels.push(level);
  }
}
