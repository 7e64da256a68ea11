import * as fs from 'fs';
import * as net from 'net';
import { Writable } from 'stream';
import { Dataset, association as dimseAssociation, requests, responses } from 'dcmjs-dimse';
import { nodeAuthenticationFailed } from '../audit/auditEvents';
import { audit } from '../audit/auditTrail';
import { ReceivedStudies } from '../audit/receivedStudies';
import type { CommitmentResultPayload } from '../commitment/queueCommitmentResult';
import { Config } from '../config/schema';
import { readCommitmentReport, STORAGE_COMMITMENT_PUSH_MODEL } from '../export/storageCommitment';
import { logger } from '../log/logger';
import { associationsTotal, bytesReceivedTotal, instancesReceivedTotal } from '../metrics/metrics';
import { KEY_OBJECT_SELECTION_SOP_CLASS, readRejectionNote } from '../rejection/rejectionNote';
import type { RejectionNotePayload } from '../rejection/queueRejectionNote';
import { clearReplacementMarker, SpoolFileStream } from '../store/spoolFileStream';
import { InstancePayload } from '../store/instanceJobs';
import { isValidUid } from '../store/uid';
import { decideAssociation } from './associationPolicy';
import { STORE_STATUS } from './dimseStatus';
import { notAnalysedReason } from './notAnalysedImages';
import { buildPart10Header } from './part10Header';
import { CONTEXT_RESULT, decidePresentationContext, SopClassRole } from './presentationContextPolicy';
import { TransferSyntaxUid } from './transferSyntaxUid';
import { UnofferedServicesScp } from './unofferedServicesScp';

type Association = dimseAssociation.Association;
type PresentationContext = dimseAssociation.PresentationContext;
type CStoreRequest = requests.CStoreRequest;

/** What every association of one receiver shares. */
export interface ReceiverContext {
  config: Config;
  /** Associations accepted and not yet closed. */
  open: Set<MammocadScp>;
  /** Set while shutting down: new associations are refused transiently. */
  draining: boolean;
  freeDiskMb(): number;
  /**
   * Queues the analysis job; rejects when the queue cannot take it in time. `replaced`: a corrected
   * copy replaced the stored file, so the study's objects are to be built again.
   */
  enqueue(payload: InstancePayload, opts?: { replaced?: boolean }): Promise<'queued' | 'previouslyRejected' | void>;
  /** Queues a received rejection note; rejects when the queue cannot take it in time. */
  enqueueRejectionNote(payload: RejectionNotePayload): Promise<void>;
  /** Queues a PACS's storage commitment result; rejects when the queue cannot take it in time. */
  enqueueCommitmentResult(payload: CommitmentResultPayload): Promise<void>;
}

/** Swallows a dataset that is not kept: an acknowledged class, or one refused before its first byte. */
class DiscardingStream extends Writable {
  datasetBytes = 0;
  constructor(readonly refusal?: { status: number; reason: string }) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.datasetBytes += chunk.length;
    cb();
  }
}

const SUCCESS = STORE_STATUS.success;
/** PS3.7 C.4 statuses of N- services. */
const N_STATUS = { processingFailure: 0x0110, noSuchSopClass: 0x0118 } as const;

interface StoreResult {
  status: number;
  /** notAnalysed: an image of an analysed class acknowledged for its Image Type or as a quality control image (notAnalysedImages.ts). */
  outcome: 'stored' | 'duplicate' | 'replaced' | 'acknowledged' | 'notAnalysed' | 'refused' | 'failed' | 'previouslyRejected' | 'rejectionNote';
  reason?: string;
  /** Why an image of an analysed SOP class was acknowledged without analysis. */
  notAnalysed?: string;
  /** Milliseconds spent after the last byte: final fsync, rename/link + directory fsync, queuing. */
  timings?: { syncMs: number; commitMs: number; queueMs: number };
  /** Where the instance was kept, for the audit trail; absent when it was refused before. */
  stored?: { studyUid: string; path: string };
}

/**
 * One DICOM association on the receiver: the association policy, C-ECHO, and C-STORE streamed to
 * the spool. A C-STORE is answered Success only once its file is durable and, for analysed SOP
 * classes, its job is queued: Success means the node owns the image.
 */
export class MammocadScp extends UnofferedServicesScp {
  private readonly ctx: ReceiverContext;
  /** Accepted presentation contexts by id: what the node does with their SOP class. */
  private readonly accepted = new Map<number, { sopClass: string; role: SopClassRole }>();
  private incoming: SpoolFileStream | DiscardingStream | undefined;
  private incomingRole: SopClassRole | undefined;
  private lastByteAt = 0;
  /** C-STOREs and N-EVENT-REPORTs received and not yet answered. */
  private unanswered = 0;
  /** The peer asked to release while a response was still owed: the release response waits. */
  private releaseRequested = false;
  /** Kept: a closed socket no longer knows it. */
  private readonly peerAddress: string;
  /** What this association stored, by study: reported to the audit trail when it ends. */
  private readonly received = new ReceivedStudies();

  constructor(socket: net.Socket, opts: any) {
    super(socket, opts);
    this.ctx = opts.customOptions.receiver as ReceiverContext;
    this.peerAddress = socket.remoteAddress ?? '';
    // An association that ends with a dataset half received leaves nothing behind.
    this.on('close', () => this.endOfAssociation('connection closed'));
  }

  override associationRequested(association: Association): void {
    const { config } = this.ctx;
    this.callingAe = association.getCallingAeTitle().trim();
    const facts = {
      calledAe: association.getCalledAeTitle(),
      callingAe: this.callingAe,
      sourceAddress: this.net.remoteAddress ?? '',
      openAssociations: this.ctx.open.size,
      freeDiskMb: this.ctx.freeDiskMb(),
    };
    const decision = this.ctx.draining
      ? { accept: false as const, result: 2, source: 3, reason: 1, why: 'shutting down' }
      : decideAssociation(facts, { aeTitle: config.aeTitle, ...config.receiver });
    const meta = {
      callingAe: facts.callingAe,
      calledAe: facts.calledAe.trim(),
      address: facts.sourceAddress,
    };
    if (!decision.accept) {
      logger.info('association rejected', {
        ...meta,
        why: decision.why,
        result: decision.result,
        source: decision.source,
        reason: decision.reason,
      });
      associationsTotal.inc({ outcome: `rejected: ${decision.why.replace(/ \(.*$| \d.*$/, '')}` });
      if (decision.notAuthorised)
        audit((self) => nodeAuthenticationFailed(self, { aeTitle: facts.callingAe, address: facts.sourceAddress }, `association rejected: ${decision.why}`));
      this.sendAssociationReject(decision.result, decision.source, decision.reason);
      this.net.end();
      return;
    }
    const accepted: string[] = [];
    const unknownClasses = new Set<string>();
    const noTransferSyntax = new Map<string, string>();
    for (const { id, context } of association.getPresentationContexts()) {
      const decision = this.decideContext(id, context);
      if ('role' in decision) accepted.push(`${id}:${decision.sopClass}@${decision.transferSyntax}(${decision.role})`);
      else if (decision.proposedTransferSyntaxes) noTransferSyntax.set(decision.sopClass, decision.proposedTransferSyntaxes.join(' '));
      else unknownClasses.add(decision.sopClass);
    }
    // Larger PDUs from the sender: fewer, cheaper reads per image.
    association.setMaxPduLength(65536);
    this.ctx.open.add(this);
    associationsTotal.inc({ outcome: 'accepted' });
    // A class we take but in none of its proposed transfer syntaxes is a setting to fix, so it is
    // named; classes we do not take are only counted: storescu alone proposes about a hundred (5 KB).
    logger.info('association accepted', {
      ...meta,
      open: this.ctx.open.size,
      acceptedContexts: accepted,
      ...(noTransferSyntax.size > 0 && { rejectedTransferSyntaxes: Object.fromEntries(noTransferSyntax) }),
      otherSopClassesRejected: unknownClasses.size,
    });
    if (unknownClasses.size > 0) logger.debug('SOP classes rejected', { ...meta, sopClasses: [...unknownClasses] });
    this.sendAssociationAccept();
  }

  private decideContext(
    id: number,
    context: PresentationContext,
  ):
    | { sopClass: string; transferSyntax: string; role: SopClassRole }
    // A class the node takes, rejected for its transfer syntaxes, says which were proposed.
    | { sopClass: string; proposedTransferSyntaxes?: string[] } {
    // A copy: the decision must not depend on (or change) the library's list.
    const proposed = [...context.getTransferSyntaxUids()];
    const sopClass = context.getAbstractSyntaxUid();
    const decision = decidePresentationContext(sopClass, proposed, this.ctx.config.receiver);
    if (decision.result === CONTEXT_RESULT.accept) {
      context.setResult(decision.result, decision.transferSyntax);
      this.accepted.set(id, { sopClass, role: decision.role });
      return { sopClass, transferSyntax: decision.transferSyntax, role: decision.role };
    }
    context.setResult(decision.result);
    return decision.result === CONTEXT_RESULT.rejectAbstractSyntax ? { sopClass } : { sopClass, proposedTransferSyntaxes: proposed };
  }

  /**
   * Nothing may follow our A-RELEASE-RP (PS3.8, A-RELEASE service), so a peer that sends its release without
   * waiting for its last response gets that response first. A dataset still arriving is not waited
   * for: the release ends it, and the partial file is removed.
   */
  override associationReleaseRequested(): void {
    this.releaseRequested = true;
    this.releaseWhenAnswered();
  }

  /** A C-STORE or N-EVENT-REPORT has arrived whole and is not answered yet. */
  get owesResponse(): boolean {
    return this.unanswered > 0 || this.incoming?.writableEnded === true;
  }

  private releaseWhenAnswered(): void {
    if (!this.releaseRequested || this.owesResponse) return;
    this.releaseRequested = false;
    this.sendAssociationReleaseResponse();
  }

  /** Called once a C-STORE or N-EVENT-REPORT response is sent: the release response held back for it may go. */
  private answered(): void {
    this.unanswered--;
    this.releaseWhenAnswered();
  }

  override abort(source?: number, reason?: number): void {
    logger.info('association aborted by peer', { callingAe: this.callingAe, source, reason });
    this.endOfAssociation('aborted by peer');
    // PS3.8 9.2.3 (AA-3): the acceptor closes the transport connection; the library leaves it open,
    // and the sender (dcmtk's storescu among them) would wait for it until our idle timeout.
    this.net.destroy();
  }

  override cEchoRequest(
    request: requests.CEchoRequest,
    callback: (response: responses.CEchoResponse) => void,
  ): void {
    const response = responses.CEchoResponse.fromRequest(request);
    response.setStatus(SUCCESS);
    callback(response);
  }

  /**
   * A PACS's storage commitment result (PS3.4 J.3.3), on an association it opened to us or on ours:
   * answered Success once queued for the worker; Processing Failure (0x0110) when it cannot be read
   * or queued, so the PACS sends it again.
   */
  override nEventReportRequest(
    request: requests.NEventReportRequest,
    callback: (response: responses.NEventReportResponse) => void,
  ): void {
    const response = responses.NEventReportResponse.fromRequest(request);
    this.unanswered++;
    void this.takeCommitmentResult(request).then((status) => {
      response.setStatus(status);
      callback(response);
      this.answered();
    });
  }

  private async takeCommitmentResult(request: requests.NEventReportRequest): Promise<number> {
    const meta = { callingAe: this.callingAe, sopClass: request.getAffectedSopClassUid() };
    if (request.getAffectedSopClassUid() !== STORAGE_COMMITMENT_PUSH_MODEL) {
      logger.warn('N-EVENT-REPORT refused: not a storage commitment result', meta);
      return N_STATUS.noSuchSopClass;
    }
    let result;
    try {
      result = readCommitmentReport(request.getEventTypeId(), request.getDataset()?.getElements());
      await this.ctx.enqueueCommitmentResult(result);
    } catch (e) {
      logger.warn('storage commitment result refused', { ...meta, reason: (e as Error).message });
      return N_STATUS.processingFailure;
    }
    logger.info('storage commitment result received', {
      ...meta,
      transactionUid: result.transactionUid,
      committed: result.committed.length,
      failed: result.failed.length,
    });
    return SUCCESS;
  }

  override createStoreWritableStream(context: PresentationContext, request: CStoreRequest): Writable {
    const accepted = this.accepted.get(context.getPresentationContextId());
    const role = accepted?.role;
    this.incomingRole = role;
    const refusal = commandRefusal(request, accepted);
    if (refusal || (role === 'acknowledged' && !this.ctx.config.receiver.keepAcknowledged)) {
      this.incoming = new DiscardingStream(refusal);
      return this.incoming;
    }
    const transferSyntaxUid = context.getAcceptedTransferSyntaxUid() ?? TransferSyntaxUid.implicitVrLittleEndian;
    this.incoming = new SpoolFileStream({
      dataDir: this.ctx.config.dataDir,
      part10Header: buildPart10Header({
        mediaStorageSopClassUid: request.getAffectedSopClassUid(),
        mediaStorageSopInstanceUid: request.getAffectedSopInstanceUid(),
        transferSyntaxUid,
        sourceAeTitle: this.callingAe,
      }),
      explicitVr: transferSyntaxUid !== TransferSyntaxUid.implicitVrLittleEndian,
      // dcmjs-dimse does not wait for the disk: stop reading the socket until it caught up.
      onBackpressure: (paused) => (paused ? this.net.pause() : this.net.resume()),
    });
    return this.incoming;
  }

  override createDatasetFromStoreWritableStream(
    writable: Writable,
    context: PresentationContext,
    callback: (dataset: Dataset) => void,
  ): void {
    this.lastByteAt = performance.now();
    const ready = writable instanceof SpoolFileStream ? writable.whenWritten() : Promise.resolve();
    // The dataset itself stays on disk; the request carries an empty one.
    void ready.then(() => callback(new Dataset({}, context.getAcceptedTransferSyntaxUid())));
  }

  override cStoreRequest(
    request: CStoreRequest,
    callback: (response: responses.CStoreResponse) => void,
  ): void {
    const incoming = this.incoming;
    const role = this.incomingRole;
    this.incoming = undefined;
    this.incomingRole = undefined;
    this.unanswered++;
    void this.store(request, incoming, role)
      .catch((e: Error) => ({
        status: STORE_STATUS.outOfResources,
        outcome: 'failed' as const,
        reason: e.message,
      }))
      .then((result) => {
        const sopClass = request.getAffectedSopClassUid() ?? '';
        // A peer chooses the request's class: only classes the node knows become label values.
        const { analysedSopClasses, acknowledgedSopClasses } = this.ctx.config.receiver;
        const known =
          analysedSopClasses.includes(sopClass) || acknowledgedSopClasses.includes(sopClass) || sopClass === KEY_OBJECT_SELECTION_SOP_CLASS;
        instancesReceivedTotal.inc({ sop_class: known ? sopClass : 'other', outcome: result.outcome });
        this.received.note(sopClass, result);
        const meta = {
          callingAe: this.callingAe,
          sopClass,
          sopInstanceUid: isValidUid(request.getAffectedSopInstanceUid())
            ? request.getAffectedSopInstanceUid()
            : '(invalid)',
          outcome: result.outcome,
          status: `0x${result.status.toString(16).padStart(4, '0')}`,
        };
        if (result.status === SUCCESS) logger.info('instance received', { ...meta, ...result.timings, ...(result.notAnalysed ? { notAnalysed: result.notAnalysed } : {}) });
        else logger.warn('instance refused', { ...meta, reason: result.reason });
        const response = responses.CStoreResponse.fromRequest(request);
        response.setStatus(result.status);
        callback(response);
        this.answered();
      });
  }

  private async store(
    request: CStoreRequest,
    incoming: SpoolFileStream | DiscardingStream | undefined,
    role: SopClassRole | undefined,
  ): Promise<StoreResult> {
    if (!incoming)
      return { status: STORE_STATUS.cannotUnderstand, outcome: 'failed', reason: 'no dataset received' };
    if (incoming instanceof DiscardingStream)
      return incoming.refusal
        ? { ...incoming.refusal, outcome: 'refused' }
        : { status: SUCCESS, outcome: 'acknowledged' };
    const fail = async (status: number, reason: string): Promise<StoreResult> => {
      await incoming.discard();
      return { status, outcome: status === STORE_STATUS.outOfResources ? 'failed' : 'refused', reason };
    };
    if (incoming.failure)
      return fail(STORE_STATUS.outOfResources, `writing the spool file failed: ${incoming.failure}`);
    const { header, error } = incoming.header();
    if (error) return fail(STORE_STATUS.cannotUnderstand, `cannot parse dataset: ${error}`);
    const commandSop = request.getAffectedSopInstanceUid();
    for (const [name, uid] of [
      ['Study Instance UID', header.studyUid],
      ['Series Instance UID', header.seriesUid],
      ['SOP Instance UID', header.sopInstanceUid],
    ] as const) {
      if (uid === undefined || uid === '') return fail(STORE_STATUS.cannotUnderstand, `missing ${name}`);
      if (!isValidUid(uid))
        return fail(STORE_STATUS.cannotUnderstand, `invalid ${name} (not digits and dots, or too long)`);
    }
    if (header.sopInstanceUid !== commandSop) {
      return fail(STORE_STATUS.cannotUnderstand, 'dataset SOP Instance UID differs from the request');
    }
    // Type 1 in the SOP Common module; the spool scan also reads it to re-queue a file.
    if (!header.sopClassUid) return fail(STORE_STATUS.cannotUnderstand, 'missing SOP Class UID');
    if (header.sopClassUid !== request.getAffectedSopClassUid()) {
      return fail(STORE_STATUS.datasetSopClassMismatch, 'dataset SOP Class UID differs from the request');
    }
    const studyUid = header.studyUid!;
    // An image of an analysed class that the models are not for (a biopsy, a synthesized 2D view, a
    // QC phantom, ...) is taken as an acknowledged class is: Success, not queued, kept only with keepAcknowledged.
    const { keepAcknowledged } = this.ctx.config.receiver;
    const notForAnalysis = role === 'analysed' ? notAnalysedReason(header, this.ctx.config.receiver) : undefined;
    if (notForAnalysis && !keepAcknowledged) {
      await incoming.discard();
      return { status: SUCCESS, outcome: 'notAnalysed', notAnalysed: notForAnalysis };
    }
    const synced = performance.now();
    const { outcome, path } = await incoming.commit(studyUid, commandSop);
    const committed = performance.now();
    const timings = (queued: number) => ({
      syncMs: Math.round(synced - this.lastByteAt),
      commitMs: Math.round(committed - synced),
      queueMs: Math.round(queued - committed),
    });
    if (outcome !== 'duplicate') bytesReceivedTotal.inc(incoming.datasetBytes);
    const stored = { studyUid, path };
    if (role === 'keyObject') return { ...(await this.keepRejectionNote(studyUid, commandSop, path, timings)), stored };
    if (notForAnalysis) return { status: SUCCESS, outcome: 'notAnalysed', notAnalysed: notForAnalysis, timings: timings(committed), stored };
    if (role !== 'analysed') return { status: SUCCESS, outcome: 'acknowledged', timings: timings(committed), stored };
    let queued;
    try {
      queued = await this.ctx.enqueue({
        studyUid,
        seriesUid: header.seriesUid!,
        sopInstanceUid: commandSop,
        sopClassUid: request.getAffectedSopClassUid(),
        path,
        callingAe: this.callingAe,
      }, { replaced: outcome === 'replaced' });
    } catch (e) {
      // The file is durable, but Success would promise analysis we cannot yet schedule. Refuse
      // (the sender retries); the spool scan queues the file once Redis is back either way.
      return {
        status: STORE_STATUS.outOfResources,
        outcome: 'failed',
        reason: `queue unavailable: ${(e as Error).message}`,
        stored,
      };
    }
    if (outcome === 'replaced') await clearReplacementMarker(path);
    return { status: SUCCESS, outcome: queued === 'previouslyRejected' ? queued : outcome, timings: timings(performance.now()), stored };
  }

  /**
   * A Key Object Selection document is read here, so a sender learns at once when its rejection
   * note cannot be understood (C000) or not queued (A700); any other document (key images "Of
   * Interest") is only acknowledged. Applying the note is the worker's job.
   */
  private async keepRejectionNote(
    studyUid: string,
    sopInstanceUid: string,
    path: string,
    timings: (queued: number) => StoreResult['timings'],
  ): Promise<StoreResult> {
    const drop = () => fs.promises.unlink(path).catch(() => undefined);
    let note;
    try {
      note = readRejectionNote(path);
    } catch (e) {
      await drop();
      return { status: STORE_STATUS.cannotUnderstand, outcome: 'refused', reason: `Key Object Selection document not understood: ${(e as Error).message}` };
    }
    if (note.kind !== 'rejection') {
      if (!this.ctx.config.receiver.keepAcknowledged) await drop();
      return { status: SUCCESS, outcome: 'acknowledged', timings: timings(performance.now()) };
    }
    try {
      await this.ctx.enqueueRejectionNote({ studyUid, sopInstanceUid, path });
    } catch (e) {
      return { status: STORE_STATUS.outOfResources, outcome: 'failed', reason: `queue unavailable: ${(e as Error).message}` };
    }
    return { status: SUCCESS, outcome: 'rejectionNote', timings: timings(performance.now()) };
  }

  private endOfAssociation(why: string): void {
    this.ctx.open.delete(this);
    this.received.report({ aeTitle: this.callingAe, address: this.peerAddress });
    const incoming = this.incoming;
    if (incoming instanceof SpoolFileStream && !incoming.ended) {
      this.incoming = undefined;
      logger.warn('transfer interrupted, partial file removed', {
        callingAe: this.callingAe,
        why,
        bytes: incoming.datasetBytes,
      });
      void incoming.discard();
    }
  }
}

/**
 * Why a C-STORE request is refused before its dataset is read, if it is: the command's UIDs are
 * checked before they name a spool file, and the data must travel on an accepted storage context
 * of its own SOP class (a Verification context, or another class's, would bypass the SOP class policy).
 */
function commandRefusal(
  request: CStoreRequest,
  accepted: { sopClass: string; role: SopClassRole } | undefined,
): { status: number; reason: string } | undefined {
  const sopClass = request.getAffectedSopClassUid();
  for (const [name, uid] of [
    ['Affected SOP Class UID', sopClass],
    ['Affected SOP Instance UID', request.getAffectedSopInstanceUid()],
  ] as const) {
    if (!uid) return { status: STORE_STATUS.cannotUnderstand, reason: `missing ${name}` };
    if (!isValidUid(uid))
      return { status: STORE_STATUS.cannotUnderstand, reason: `invalid ${name} (not digits and dots, or too long)` };
  }
  if (!accepted || accepted.role === 'verification')
    return { status: STORE_STATUS.sopClassNotSupported, reason: 'no accepted storage presentation context for the data' };
  if (accepted.sopClass !== sopClass)
    return {
      status: STORE_STATUS.sopClassNotSupported,
      reason: `Affected SOP Class UID ${sopClass} sent on the presentation context of ${accepted.sopClass}`,
    };
  return undefined;
}
