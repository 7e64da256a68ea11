import { Dataset, requests, responses } from 'dcmjs-dimse';
import { isValidUid, trimUidPadding } from '../store/uid';
import { AssociationRejectedError, StoreError, StoreNetworkError, StoreTimeoutError } from './storeErrors';
import { oneRequestAssociation } from './oneRequestAssociation';
import { describeRejection, endpointLabel, type StoreEndpoint, type StoreOptions } from './storeScu';
import { describeStoreStatus, isWarningStatus } from './storeStatus';

/**
 * Storage Commitment Push Model (PS3.4 Annex J), as the SCU: once a PACS has our objects, we ask it
 * (N-ACTION, "Request Storage Commitment") to take responsibility for them; it answers later with an
 * N-EVENT-REPORT, usually on an association of its own to our receiver (PS3.4 J.3.3), naming each
 * object committed or failed.
 */
export const STORAGE_COMMITMENT_PUSH_MODEL = '1.2.840.10008.1.20.1';
/** The well-known SOP Instance of the Push Model (PS3.4 J.3.5). */
export const STORAGE_COMMITMENT_INSTANCE = '1.2.840.10008.1.20.1.1';
const REQUEST_STORAGE_COMMITMENT = 1;
/** N-EVENT-REPORT Event Type IDs (PS3.4 Table J.3-2). */
export const COMMITMENT_EVENT = { successful: 1, failuresExist: 2 } as const;

export interface CommittedObject {
  sopClassUid: string;
  sopInstanceUid: string;
}

export interface CommitmentReport {
  transactionUid: string;
  committed: CommittedObject[];
  /** With the Failure Reason (PS3.4 J.3.3.1.2). */
  failed: Array<CommittedObject & { reason: number }>;
}

/** PS3.4 Table J.3-3 Failure Reasons. */
const FAILURE_REASONS: Record<number, string> = {
  0x0110: 'processing failure',
  0x0112: 'no such object instance',
  0x0119: 'class-instance conflict',
  0x0122: 'referenced SOP class not supported',
  0x0131: 'duplicate transaction UID',
  0x0213: 'resource limitation',
};

export function describeFailureReason(reason: number): string {
  return `0x${reason.toString(16).padStart(4, '0')} ${FAILURE_REASONS[reason] ?? 'unknown reason'}`;
}

function referencedSops(objects: readonly CommittedObject[]) {
  return objects.map((o) => ({ ReferencedSOPClassUID: o.sopClassUid, ReferencedSOPInstanceUID: o.sopInstanceUid }));
}

/** The N-ACTION-RQ: Transaction UID and the Referenced SOP Sequence of the objects (PS3.4 J.3.2.1.1). */
export function commitmentRequest(transactionUid: string, objects: readonly CommittedObject[]): requests.NActionRequest {
  const request = new requests.NActionRequest(STORAGE_COMMITMENT_PUSH_MODEL, STORAGE_COMMITMENT_INSTANCE, REQUEST_STORAGE_COMMITMENT);
  request.setDataset(new Dataset({ TransactionUID: transactionUid, ReferencedSOPSequence: referencedSops(objects) }));
  return request;
}

/**
 * Reads an N-EVENT-REPORT's Event Information (PS3.4 J.3.3.1.1): its Transaction UID, the objects
 * committed and those that failed. Throws on what cannot be a commitment result.
 */
export function readCommitmentReport(eventTypeId: number, info: Record<string, unknown> | undefined): CommitmentReport {
  if (eventTypeId !== COMMITMENT_EVENT.successful && eventTypeId !== COMMITMENT_EVENT.failuresExist)
    throw new Error(`event type ${eventTypeId} is not a storage commitment result (1 or 2)`);
  const transactionUid = trimUidPadding(String(info?.TransactionUID ?? ''));
  if (!isValidUid(transactionUid)) throw new Error('no valid Transaction UID');
  const items = (value: unknown): Array<Record<string, unknown>> => (Array.isArray(value) ? value : []);
  const object = (item: Record<string, unknown>): CommittedObject => ({
    sopClassUid: trimUidPadding(String(item.ReferencedSOPClassUID ?? '')),
    sopInstanceUid: trimUidPadding(String(item.ReferencedSOPInstanceUID ?? '')),
  });
  return {
    transactionUid,
    committed: items(info?.ReferencedSOPSequence).map(object),
    failed: items(info?.FailedSOPSequence).map((item) => ({ ...object(item), reason: Number(item.FailureReason ?? 0x0110) })),
  };
}

/**
 * Why an N-ACTION-RSP status refuses the request, or undefined where the PACS took it: Success, and a
 * Warning (PS3.7 Annex C: the action was performed; 0001 or Bxxx). A damaged response has no status.
 */
export function commitmentRefusal(status: number, comment: string): string | undefined {
  if (status === 0 || (Number.isInteger(status) && isWarningStatus(status))) return undefined;
  return `refused storage commitment: ${describeStoreStatus(status)}${comment ? ` (${comment})` : ''}`;
}

/**
 * Sends the commitment request over an association of its own. Resolves once the PACS answered
 * Success or a Warning (the result comes later, as an N-EVENT-REPORT); anything else is a StoreError, so the
 * job is retried like an export.
 */
export async function requestStorageCommitment(
  endpoint: StoreEndpoint,
  transactionUid: string,
  objects: readonly CommittedObject[],
  opts: StoreOptions,
): Promise<void> {
  const destination = endpointLabel(endpoint);
  const request = commitmentRequest(transactionUid, objects);
  let status: number | undefined;
  let comment = '';
  request.on('response', (r: responses.NActionResponse) => {
    status = Number(r.getStatus());
    comment = r.getErrorComment() ?? '';
  });
  const end = await oneRequestAssociation(endpoint, request, opts);
  if (end.kind === 'rejected')
    throw new AssociationRejectedError(`association rejected by ${destination}: ${describeRejection(end)}`, destination, end.result, end.source, end.reason);
  if (end.kind === 'networkError') throw new StoreNetworkError(`${destination}: ${end.message}`, destination);
  if (end.kind === 'timeout') throw new StoreTimeoutError(`no answer from ${destination} within ${opts.timeoutMs ?? 30000} ms`, destination);
  if (status === undefined) {
    const accepted = end.accepted
      ?.getPresentationContexts()
      .some(({ context }) => context.getAbstractSyntaxUid() === STORAGE_COMMITMENT_PUSH_MODEL && context.getResult() === 0);
    throw new StoreNetworkError(accepted ? `${destination} did not answer the storage commitment request` : `${destination} does not accept Storage Commitment Push Model`, destination);
  }
  const refusal = commitmentRefusal(status, comment);
  if (refusal) throw new StoreError(`${destination} ${refusal}`, destination);
}
