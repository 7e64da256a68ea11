import { Client, association as dimseAssociation, constants, log as dimseLog, requests, responses } from 'dcmjs-dimse';
import type { TlsClientOptions } from '../tls/tlsOptions';
import { describeStoreStatus, storeOutcomeOf, StoreOutcome } from './storeStatus';
import {
  AssociationRejectedError,
  PresentationContextRejectedError,
  StoreError,
  StoreNetworkError,
  StoreRefusedError,
  StoreTimeoutError,
} from './storeErrors';
import { isEncapsulated, TransferSyntaxUid } from '../dicom/transferSyntaxUid';

export interface StoreEndpoint {
  aeTitle: string;
  host: string;
  port: number;
}

export interface StoreOptions {
  callingAeTitle: string;
  /** Longest silence tolerated while connecting, negotiating or waiting for a response. */
  timeoutMs?: number;
  /** Present: connect over TLS with these options. */
  tls?: TlsClientOptions;
  /**
   * SOP classes proposed besides those of the files (Explicit and Implicit VR Little Endian), so one
   * association shape serves every CAD object.
   */
  extraSopClasses?: string[];
}

export interface InstanceStoreResult {
  file: string;
  sopClassUid: string;
  sopInstanceUid: string;
  /** C-STORE response status; absent when no response came. */
  status?: number;
  outcome: StoreOutcome;
  /** Status text, the destination's error comment, or why nothing was sent. */
  detail: string;
}

/** The objects mammocad produces (the three, and rejection notes withdrawing them); export always proposes them. */
export const CAD_OBJECT_SOP_CLASSES = [
  '1.2.840.10008.5.1.4.1.1.88.50', // Mammography CAD SR
  '1.2.840.10008.5.1.4.1.1.88.33', // Comprehensive SR
  '1.2.840.10008.5.1.4.1.1.11.1', // Grayscale Softcopy Presentation State
  '1.2.840.10008.5.1.4.1.1.88.59', // Key Object Selection Document (our rejection notes)
];


export function endpointLabel(e: StoreEndpoint): string {
  return `${e.aeTitle}@${e.host}:${e.port}`;
}

/**
 * Sends Part 10 files over one association and reports each instance's outcome. Each file is
 * proposed in its own transfer syntax (plus Explicit/Implicit VR Little Endian). Association-level
 * trouble (refused connection, A-ASSOCIATE-RJ, timeout, dropped link) rejects with a StoreError;
 * per-instance failures are in the results.
 */
export function storeFiles(endpoint: StoreEndpoint, files: string[], opts: StoreOptions): Promise<InstanceStoreResult[]> {
  const destination = endpointLabel(endpoint);
  const timeoutMs = opts.timeoutMs ?? 30000;
  if (files.length === 0) return Promise.resolve([]);

  quietLibraryLogging();
  const client = new Client();
  const pending = files.map((file) => {
    const request = new requests.CStoreRequest(file);
    const entry: { request: requests.CStoreRequest; transferSyntaxUid?: string; result: InstanceStoreResult } = {
      request,
      transferSyntaxUid: request.getDataset()?.getTransferSyntaxUid(),
      result: {
        file,
        sopClassUid: request.getAffectedSopClassUid(),
        sopInstanceUid: request.getAffectedSopInstanceUid(),
        outcome: 'failed',
        detail: 'no response before the association ended',
      },
    };
    request.on('response', (response: responses.CStoreResponse) => {
      const status = Number(response.getStatus());
      const comment = response.getErrorComment();
      entry.result.status = status;
      entry.result.outcome = storeOutcomeOf(status);
      entry.result.detail = describeStoreStatus(status) + (comment ? ` (${comment})` : '');
    });
    client.addRequest(request);
    return entry;
  });
  for (const sopClass of opts.extraSopClasses ?? []) {
    const context = new dimseAssociation.PresentationContext(0, sopClass, TransferSyntaxUid.explicitVrLittleEndian);
    client.addAdditionalPresentationContext(context);
  }

  return new Promise<InstanceStoreResult[]>((resolve, reject) => {
    let failure: StoreError | undefined;
    let accepted: dimseAssociation.Association | undefined;
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      if (failure) {
        // dcmjs-dimse only ends the socket on a timeout: a peer that never reads nor closes would keep it.
        networkOf(client)?.socket?.destroy();
        return reject(failure);
      }
      for (const { result, transferSyntaxUid } of pending) {
        if (result.status === undefined && accepted && !canCarry(accepted, result.sopClassUid, transferSyntaxUid)) {
          result.detail = `presentation context for SOP class ${result.sopClassUid}${transferSyntaxUid ? ` in transfer syntax ${transferSyntaxUid}` : ''} not accepted`;
        }
      }
      resolve(pending.map((p) => p.result));
    };
    // Backstop: dcmjs-dimse's own timers cover silence per phase; this bounds the whole exchange.
    const guard = setTimeout(
      () => {
        failure ??= new StoreTimeoutError(`no answer from ${destination} within ${timeoutMs} ms`, destination);
        try {
          client.abort();
        } catch {
          /* not connected yet */
        }
        finish();
      },
      timeoutMs * (files.length + 2),
    );

    client.on('associationAccepted', (assoc: dimseAssociation.Association) => {
      accepted = assoc;
    });
    client.on('associationRejected', (r: { result: number; source: number; reason: number }) => {
      failure = new AssociationRejectedError(
        `association rejected by ${destination}: ${describeRejection(r)}`,
        destination,
        r.result,
        r.source,
        r.reason,
      );
    });
    client.on('networkError', (err: Error) => {
      // dcmjs-dimse prefixes "<called AE> -> " (empty before negotiation); the destination says it better.
      const text = withTlsHint(err.message.replace(/^[^>]*-> /, ''), Boolean(opts.tls), Boolean(accepted));
      failure ??= /timeout/i.test(text)
        ? new StoreTimeoutError(`${destination}: ${text}`, destination)
        : new StoreNetworkError(`${destination}: ${text}`, destination);
      // A refused connection may never emit "closed"; give it a moment, then settle.
      setTimeout(finish, 200).unref();
    });
    client.on('closed', () => {
      // A link dropped after acceptance leaves instances without a response: that is a failure of the
      // association, not of the instance, so the whole send is retried.
      const unanswered = pending.filter(
        (p) => p.result.status === undefined && accepted && canCarry(accepted, p.result.sopClassUid, p.transferSyntaxUid),
      );
      if (!failure && !accepted) {
        failure = new StoreNetworkError(
          `${destination} closed the connection before accepting an association${opts.tls ? '' : PLAIN_TO_TLS_HINT}`,
          destination,
        );
      }
      if (!failure && unanswered.length > 0) {
        failure = new StoreNetworkError(
          `${destination} closed the association before answering ${unanswered.length} C-STORE request(s)`,
          destination,
        );
      }
      finish();
    });
    try {
      client.send(endpoint.host, endpoint.port, opts.callingAeTitle, endpoint.aeTitle, clientSendOptions(timeoutMs, opts.tls));
      // The client neither reports a destination's A-ABORT nor closes the connection, as PS3.8
      // (AA-3) asks of the side that receives one: the export would wait for its timeout.
      networkOf(client)?.on('abort', ({ source, reason }) => {
        failure ??= new StoreNetworkError(`${destination} aborted the association (${describeAbort(source, reason)})`, destination);
        networkOf(client)?.socket?.destroy(); // "closed" follows, and settles the send
      });
    } catch (err) {
      failure = new StoreNetworkError(`${destination}: ${(err as Error).message}`, destination);
      finish();
    }
  });
}

/** dcmjs-dimse's per-phase silence limits, all `timeoutMs`, and TLS when given. */
export function clientSendOptions(timeoutMs: number, tls?: TlsClientOptions) {
  return { connectTimeout: timeoutMs, associationTimeout: timeoutMs, pduTimeout: timeoutMs, ...(tls ? { securityOptions: tls } : {}) };
}

/** The client's connection (not in its type declarations); set by send() until it closes. */
function networkOf(client: Client):
  | { socket?: { destroy(): void }; on(event: 'abort', listener: (a: { source: number; reason: number }) => void): void }
  | undefined {
  return (client as unknown as { network?: ReturnType<typeof networkOf> }).network;
}

/** PS3.8 Table 9-26: the A-ABORT's source and, from the service provider, its reason. */
function describeAbort(source: number, reason: number): string {
  if (source !== 2) return `source ${source}, the service user`;
  const reasons = ['not specified', 'unrecognized PDU', 'unexpected PDU', 'reserved', 'unrecognized PDU parameter', 'unexpected PDU parameter', 'invalid PDU parameter value'];
  return `source 2, the service provider: reason ${reason} (${reasons[reason] ?? 'unknown'})`;
}

/**
 * Sends and requires every instance to be delivered (success or warning); otherwise throws the
 * typed error of the first failure so the caller's job is retried.
 */
export async function storeFilesOrThrow(
  endpoint: StoreEndpoint,
  files: string[],
  opts: StoreOptions,
): Promise<InstanceStoreResult[]> {
  const destination = endpointLabel(endpoint);
  const results = await storeFiles(endpoint, files, opts);
  const failed = results.find((r) => r.outcome === 'failed');
  if (!failed) return results;
  if (failed.status === undefined) {
    throw new PresentationContextRejectedError(`${destination}: ${failed.detail}`, destination);
  }
  throw new StoreRefusedError(
    `${destination} refused ${failed.sopInstanceUid}: ${failed.detail}`,
    destination,
    failed.status,
    failed.sopInstanceUid,
  );
}

/**
 * dcmjs-dimse logs every PDU at info level to the console; every outcome we care about is turned into
 * a result or a typed error and logged by the caller, so only its errors stay on (unless asked).
 */
export function quietLibraryLogging(): void {
  const wanted = process.env.MAMMOCAD_DIMSE_LOG_LEVEL;
  dimseLog.setLevel((wanted as 'error' | 'silent' | 'info' | 'debug' | 'warn' | undefined) ?? 'silent');
}

/** A TLS port drops or resets a plain A-ASSOCIATE-RQ (its TLS layer sees no handshake). */
const PLAIN_TO_TLS_HINT = ' (if that port expects DICOM over TLS, set tls: true on this destination; mammocad send: --tls)';

/**
 * A port expecting the other kind of connection (TLS or plain) resets it ("read ECONNRESET"), which
 * alone does not say why: a reset before the association is named with the likely cause.
 */
function withTlsHint(text: string, tls: boolean, accepted: boolean): string {
  if (accepted) return text;
  const reset = /ECONNRESET|EPIPE|socket disconnected|wrong version number|EPROTO/i.test(text);
  if (!tls) return reset ? `${text}${PLAIN_TO_TLS_HINT}` : text;
  if (reset) return `TLS connection failed: ${text} (if that port expects plain DICOM, set tls: false on this destination; mammocad send: no --tls)`;
  if (/certificate|self.signed|CERT_|altname|SSL|TLS/i.test(text)) return `TLS connection failed: ${text}`;
  return text;
}

/**
 * Whether an accepted context can carry an instance: its SOP class, in the file's own transfer syntax,
 * or any uncompressed one for an uncompressed file (dcmjs re-encodes between those). dcmjs-dimse
 * itself falls back to any accepted context of the class and then cannot encode a compressed file
 * into it, so such a request is never sent: it is a rejected context, not a dropped association.
 */
function canCarry(assoc: dimseAssociation.Association, sopClassUid: string, transferSyntaxUid?: string): boolean {
  return assoc.getPresentationContexts().some(({ context }) => {
    if (context.getAbstractSyntaxUid() !== sopClassUid || context.getResult() !== constants.PresentationContextResult.Accept) return false;
    const acceptedSyntax = context.getAcceptedTransferSyntaxUid() ?? '';
    return !transferSyntaxUid || acceptedSyntax === transferSyntaxUid || (!isEncapsulated(acceptedSyntax) && !isEncapsulated(transferSyntaxUid));
  });
}

/** A-ASSOCIATE-RJ reasons by source (PS3.8 Table 9-21): the same number means different things per source. */
const REJECTION_REASONS: Record<number, Record<number, string>> = {
  1: { 1: 'no reason given', 2: 'application context not supported', 3: 'calling AE title not recognized', 7: 'called AE title not recognized' },
  2: { 1: 'no reason given', 2: 'protocol version not supported' },
  3: { 1: 'temporary congestion', 2: 'local limit exceeded' },
};

export function describeRejection(r: { result: number; source: number; reason: number }): string {
  const kind = r.result === constants.RejectResult.Permanent ? 'permanent' : 'transient';
  return `${kind}, source ${r.source}, reason ${r.reason} (${REJECTION_REASONS[r.source]?.[r.reason] ?? 'unknown'})`;
}
