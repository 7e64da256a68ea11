import * as net from 'net';
import { Scp, constants, requests, responses } from 'dcmjs-dimse';
import { logger } from '../log/logger';

/** PS3.7 Annex C general status: the peer asked for an operation this node does not perform. */
export const UNRECOGNIZED_OPERATION = 0x0211;

type Operation = 'C-FIND' | 'C-MOVE' | 'C-GET' | 'N-CREATE' | 'N-ACTION' | 'N-DELETE' | 'N-GET' | 'N-SET';

/** The response of every operation refused here: what a failure of each carries. */
type RefusalResponse = { setStatus(status: number): void; setAffectedSopClassUid?(uid: string): void };

type ReceivedCommand = { getCommandFieldType(): number | undefined };

/** dcmjs-dimse's internal dispatch of a received command (Network#_performDimse, 0.x). */
interface DimseDispatch {
  _performDimse(context: unknown, command: ReceivedCommand): void;
}

/** Every request class dcmjs-dimse reads (its Request base class is not exported at run time). */
const REQUEST_CLASSES: ReadonlyArray<new (...args: never[]) => unknown> = Object.values(requests);

/**
 * The base of the receiver's SCP: what it does with DIMSE messages it offers no service for.
 * - C-FIND, C-MOVE, C-GET and the N- services other than N-EVENT-REPORT are answered Unrecognized
 *   Operation (0x0211) with a warning naming the operation, the SOP class and the peer. dcmjs-dimse's
 *   defaults answer Processing Failure (0x0110), which reads as our fault, and log only at debug. The
 *   likely senders are a modality set to ask this node for storage commitment (N-ACTION: the archive
 *   commits, not the node) and a PACS set to query it.
 * - A command no service takes (an unknown Command Field, a response to a request never sent) aborts
 *   the association at once with a warning, as dcmtk's storescp does. dcmjs-dimse drops it without a
 *   word, so the peer waited for a response until the association idle timeout.
 * - C-CANCEL is ignored: the node runs nothing it could cancel, and a C-CANCEL has no response.
 */
export abstract class UnofferedServicesScp extends Scp {
  /** The peer's AE title, once its association request was read. */
  protected callingAe = '';
  /** Set once this side aborted: what the peer sent after it only fails to be answered. */
  abortSent = false;

  constructor(
    protected readonly net: net.Socket,
    opts: object,
  ) {
    super(net, opts);
  }

  override cFindRequest(rq: requests.CFindRequest, done: (r: responses.CFindResponse[]) => void): void {
    done([this.refuse('C-FIND', rq, responses.CFindResponse.fromRequest(rq))]);
  }

  override cMoveRequest(rq: requests.CMoveRequest, done: (r: responses.CMoveResponse[]) => void): void {
    done([this.refuse('C-MOVE', rq, responses.CMoveResponse.fromRequest(rq))]);
  }

  override cGetRequest(rq: requests.CGetRequest, done: (r: responses.CGetResponse[]) => void): void {
    done([this.refuse('C-GET', rq, responses.CGetResponse.fromRequest(rq))]);
  }

  override nCreateRequest(rq: requests.NCreateRequest, done: (r: responses.NCreateResponse) => void): void {
    done(this.refuse('N-CREATE', rq, responses.NCreateResponse.fromRequest(rq)));
  }

  override nActionRequest(rq: requests.NActionRequest, done: (r: responses.NActionResponse) => void): void {
    done(this.refuse('N-ACTION', rq, responses.NActionResponse.fromRequest(rq)));
  }

  override nDeleteRequest(rq: requests.NDeleteRequest, done: (r: responses.NDeleteResponse) => void): void {
    done(this.refuse('N-DELETE', rq, responses.NDeleteResponse.fromRequest(rq)));
  }

  override nGetRequest(rq: requests.NGetRequest, done: (r: responses.NGetResponse) => void): void {
    done(this.refuse('N-GET', rq, responses.NGetResponse.fromRequest(rq)));
  }

  override nSetRequest(rq: requests.NSetRequest, done: (r: responses.NSetResponse) => void): void {
    done(this.refuse('N-SET', rq, responses.NSetResponse.fromRequest(rq)));
  }

  override cCancelRequest(): void {
    logger.debug('C-CANCEL ignored: nothing to cancel', { callingAe: this.callingAe });
  }

  /** Runs before dcmjs-dimse dispatches a received command: requests go on, anything else ends the association. */
  _performDimse(context: unknown, command: ReceivedCommand): void {
    if (REQUEST_CLASSES.some((requestClass) => command instanceof requestClass)) {
      (Scp.prototype as unknown as DimseDispatch)._performDimse.call(this, context, command);
      return;
    }
    const field = command.getCommandFieldType();
    logger.warn('association aborted: a DIMSE command no service takes', {
      callingAe: this.callingAe,
      address: this.net.remoteAddress,
      commandField: field === undefined ? '(none)' : `0x${field.toString(16).padStart(4, '0')}`,
    });
    this.sendAbort(constants.AbortSource.ServiceUser, constants.AbortReason.NotSpecified);
    this.abortSent = true;
    // The connection closes once the A-ABORT is written.
    this.net.end(() => this.net.destroy());
  }

  private refuse<R extends RefusalResponse>(operation: Operation, request: requests.Request, response: R): R {
    // C- and N-CREATE requests name an Affected SOP Class, the other N- requests a Requested one.
    const sopClass = request.getAffectedSopClassUid() || request.getRequestedSopClassUid();
    logger.warn('DIMSE operation refused: not offered by this node', { callingAe: this.callingAe, operation, sopClass });
    response.setStatus(UNRECOGNIZED_OPERATION);
    // dcmjs-dimse fills C-FIND/MOVE/GET responses with its own default class.
    if (sopClass) response.setAffectedSopClassUid?.(sopClass);
    return response;
  }
}
