import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Writable } from 'stream';
import { DatasetHeader, DatasetHeaderScanner } from '../dicom/datasetHeaderScanner';
import { DatasetStructureWalker } from '../dicom/datasetStructureWalker';
import { copiedIdentityChanged } from './copiedIdentityChanged';
import { ensureDurableDirectory, fsyncDirectory } from './durableFs';
import { incomingDir, instancePath, replacementMarkerPath, spoolRoot } from './spoolPaths';

export interface SpoolFileStreamOptions {
  dataDir: string;
  /** Preamble and group 0002, written before the dataset. */
  part10Header: Buffer;
  explicitVr: boolean;
  /** Called with true when writes pile up (pause the socket) and false once they drained. */
  onBackpressure?: (paused: boolean) => void;
}

/** replaced: a re-sent instance whose patient or order attributes differ from the stored copy's. */
export type CommitOutcome = 'stored' | 'duplicate' | 'replaced';

const HIGH_WATER_MARK = 4 * 1024 * 1024;
const COALESCE_BYTES = 1024 * 1024;
/** Flush to disk in the background every this many bytes, so the final fsync has little left. */
const BACKGROUND_SYNC_BYTES = 4 * 1024 * 1024;

/**
 * Receives one C-STORE dataset: writes it straight to a temp file under spool/.incoming behind its
 * Part 10 header (never the whole image in memory), reads the header attributes on the way, and
 * fsyncs at the end. It never emits 'error' into dcmjs-dimse: a write failure is kept in `failure`,
 * further bytes are dropped, and the C-STORE handler answers with a failure status.
 */
export class SpoolFileStream extends Writable {
  readonly tempPath: string;
  private handle: fs.promises.FileHandle | undefined;
  private readonly scanner: DatasetHeaderScanner;
  /** Follows the data to its end: a dataset cut short after its header is caught here. */
  private readonly structure: DatasetStructureWalker;
  private writtenResolve!: () => void;
  private readonly written: Promise<void>;
  private paused = false;
  private unsyncedBytes = 0;
  private coalesced: Buffer[] = [];
  private coalescedBytes = 0;
  private backgroundSync: Promise<void> | undefined;
  private removed = false;
  /** First write or sync error (errno code or message). */
  failure: string | undefined;
  datasetBytes = 0;
  ended = false;

  constructor(private readonly options: SpoolFileStreamOptions) {
    super({ highWaterMark: HIGH_WATER_MARK });
    this.tempPath = path.join(
      incomingDir(options.dataDir),
      `${Date.now()}-${crypto.randomBytes(8).toString('hex')}.part`,
    );
    this.scanner = new DatasetHeaderScanner(options.explicitVr);
    this.structure = new DatasetStructureWalker(options.explicitVr);
    this.written = new Promise((resolve) => (this.writtenResolve = resolve));
    // A write after end (a peer sending out of turn) must not become an uncaught 'error'.
    this.on('error', (e) => (this.failure ??= e.message));
    this.on('drain', () => this.setPaused(false));
  }

  override _construct(callback: (error?: Error | null) => void): void {
    fs.promises
      .mkdir(incomingDir(this.options.dataDir), { recursive: true })
      .then(() => fs.promises.open(this.tempPath, 'w'))
      .then(async (handle) => {
        // Discarded while the file was being opened (a peer that broke the protocol at once): its
        // unlink found nothing yet, so the file is removed here or it would stay for ever.
        if (this.removed) {
          await handle.close();
          await fs.promises.unlink(this.tempPath);
          return;
        }
        this.handle = handle;
        await this.writeAll([this.options.part10Header]);
      })
      .catch((e: NodeJS.ErrnoException) => (this.failure ??= e.code ?? e.message))
      .finally(() => callback());
  }

  override write(chunk: any, encoding?: any, cb?: any): boolean {
    const ok = super.write(chunk, encoding, cb);
    if (!ok) this.setPaused(true);
    return ok;
  }

  override _writev(chunks: Array<{ chunk: any }>, callback: (error?: Error | null) => void): void {
    for (const { chunk } of chunks) {
      const b = chunk as Buffer;
      this.datasetBytes += b.length;
      if (!this.scanner.complete) this.scanner.push(b);
      this.structure.push(b);
      this.coalesced.push(b);
      this.coalescedBytes += b.length;
    }
    if (this.failure || !this.handle) {
      this.coalesced = [];
      this.coalescedBytes = 0;
      return callback();
    }
    // PDUs arrive in 64 KiB pieces: gather about 1 MiB per write instead of a thread-pool round
    // trip per piece. Bounded, and flushed by _final.
    if (this.coalescedBytes < COALESCE_BYTES) return callback();
    this.flushCoalesced().finally(() => callback());
  }

  private flushCoalesced(): Promise<void> {
    const buffers = this.coalesced;
    this.coalesced = [];
    this.coalescedBytes = 0;
    if (buffers.length === 0 || this.failure || !this.handle) return Promise.resolve();
    return this.writeAll(buffers)
      .then(() => this.maybeSyncInBackground(buffers))
      .catch((e: NodeJS.ErrnoException) => void (this.failure ??= e.code ?? e.message));
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.ended = true;
    const handle = this.handle;
    const done = async () => {
      if (handle) {
        await this.flushCoalesced();
        await this.backgroundSync;
        if (!this.failure) await handle.sync();
        await handle.close();
        this.handle = undefined;
      }
    };
    done()
      .catch((e: NodeJS.ErrnoException) => (this.failure ??= e.code ?? e.message))
      .finally(() => {
        this.writtenResolve();
        callback();
      });
  }

  /** Resolves once every byte is on disk (or the failure is known). */
  whenWritten(): Promise<void> {
    return this.written;
  }

  /** The attributes read from the start of the dataset, or the reason the dataset is not usable. */
  header(): { header: DatasetHeader; error?: string } {
    const scanned = this.scanner.finish();
    const structureError = this.structure.finish();
    return scanned.error || !structureError ? scanned : { ...scanned, error: structureError };
  }

  /**
   * Moves the durable temp file to its spool name. First copy wins: link() refuses to replace an
   * existing file, so a resent SOP instance keeps the file its job was made for. Except a correction:
   * a copy whose patient or order attributes differ replaces the stored one (an atomic rename; a
   * reader holds either file whole), so the objects built again carry the corrected values. Until
   * the caller has queued that rebuild (clearReplacementMarker), a marker beside the file says so.
   */
  async commit(studyUid: string, sopInstanceUid: string): Promise<{ outcome: CommitOutcome; path: string }> {
    const target = instancePath(this.options.dataDir, studyUid, sopInstanceUid);
    const studyDir = path.dirname(target);
    await ensureDurableDirectory(studyDir, spoolRoot(this.options.dataDir));
    let outcome: CommitOutcome = 'stored';
    try {
      await fs.promises.link(this.tempPath, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const marker = replacementMarkerPath(target);
      if (await copiedIdentityChanged(target, this.tempPath)) {
        // Marked before the rename: if the rebuild never gets queued, the marker still says so.
        await fs.promises.writeFile(marker, '');
        await fs.promises.rename(this.tempPath, target);
        outcome = 'replaced';
      } else {
        // The same corrected copy again, after an earlier one replaced the file but was not queued.
        outcome = (await fs.promises.access(marker).then(() => true, () => false)) ? 'replaced' : 'duplicate';
      }
    }
    // Dropping the temp name needs no fsync: after a crash a leftover is only a stale temp file. The
    // study folder is synced for a duplicate too: the first copy's own fsync may still be running.
    await Promise.all([this.discard(), fsyncDirectory(studyDir)]);
    return { outcome, path: target };
  }

  /** Removes the temp file (aborted transfer, refused dataset, or after commit). */
  async discard(): Promise<void> {
    this.setPaused(false);
    if (this.removed) return;
    this.removed = true;
    this.failure ??= 'discarded';
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    await fs.promises.unlink(this.tempPath).catch(() => undefined);
  }

  /**
   * The sender waits for our answer before it sends the next image, so a final fsync of a whole
   * 27 MB image would sit on its critical path. Flushing as the data arrives overlaps the disk
   * with the network; the final fsync then only covers the tail.
   */
  private maybeSyncInBackground(buffers: Buffer[]): void {
    for (const b of buffers) this.unsyncedBytes += b.length;
    const handle = this.handle;
    if (!handle || this.backgroundSync || this.unsyncedBytes < BACKGROUND_SYNC_BYTES) return;
    this.unsyncedBytes = 0;
    this.backgroundSync = handle
      .datasync()
      .catch((e: NodeJS.ErrnoException) => void (this.failure ??= e.code ?? e.message))
      .finally(() => (this.backgroundSync = undefined));
  }

  private async writeAll(buffers: Buffer[]): Promise<void> {
    const handle = this.handle!;
    let pending = buffers;
    while (pending.length > 0) {
      const total = pending.reduce((n, b) => n + b.length, 0);
      const { bytesWritten } = await handle.writev(pending);
      if (bytesWritten === total) return;
      // Short write: carry on with what is left.
      let skip = bytesWritten;
      const rest: Buffer[] = [];
      for (const b of pending) {
        if (skip >= b.length) skip -= b.length;
        else {
          rest.push(b.subarray(skip));
          skip = 0;
        }
      }
      pending = rest;
    }
  }

  private setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    this.options.onBackpressure?.(paused);
  }
}

/** The rebuild a replacement needs is queued: the marker has done its job. */
export async function clearReplacementMarker(instanceFile: string): Promise<void> {
  await fs.promises.unlink(replacementMarkerPath(instanceFile)).catch(() => undefined);
}
