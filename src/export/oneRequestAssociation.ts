import { Client, association as dimseAssociation } from 'dcmjs-dimse';
import { TransferSyntaxUid } from '../dicom/transferSyntaxUid';
import { clientSendOptions, quietLibraryLogging, type StoreEndpoint, type StoreOptions } from './storeScu';

type DimseRequest = Parameters<Client['addRequest']>[0];

/** How an association carrying one request ended: closed (accepted, if it was), rejected, cut, or out of time. */
export type OneRequestEnd =
  | { kind: 'closed'; accepted?: dimseAssociation.Association }
  | { kind: 'rejected'; result: number; source: number; reason: number }
  | { kind: 'networkError'; message: string }
  | { kind: 'timeout' };

/**
 * Opens one association for one non-storage request (the caller reads its response from the
 * request's own 'response' event), also proposing `extraSopClasses` in Explicit VR Little Endian,
 * and says how it ended. Bounded: after three times the timeout the association is aborted. The
 * operator's destination check (C-ECHO) and the storage commitment request (N-ACTION) use it.
 */
export function oneRequestAssociation(endpoint: StoreEndpoint, request: DimseRequest, opts: StoreOptions): Promise<OneRequestEnd> {
  const timeoutMs = opts.timeoutMs ?? 30000;
  quietLibraryLogging();
  const client = new Client();
  client.addRequest(request);
  for (const sopClass of opts.extraSopClasses ?? [])
    client.addAdditionalPresentationContext(new dimseAssociation.PresentationContext(0, sopClass, TransferSyntaxUid.explicitVrLittleEndian));
  return new Promise((resolve) => {
    let accepted: dimseAssociation.Association | undefined;
    let end: OneRequestEnd | undefined;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      resolve(end ?? { kind: 'closed', accepted });
    };
    const guard = setTimeout(() => {
      end ??= { kind: 'timeout' };
      try {
        client.abort();
      } catch {
        /* not connected yet */
      }
      finish();
    }, timeoutMs * 3);
    client.on('associationAccepted', (a: dimseAssociation.Association) => (accepted = a));
    client.on('associationRejected', (r: { result: number; source: number; reason: number }) => (end = { kind: 'rejected', ...r }));
    client.on('networkError', (e: Error) => {
      // dcmjs-dimse prefixes "<called AE> -> " (empty before negotiation).
      end ??= { kind: 'networkError', message: e.message.replace(/^[^>]*-> /, '') };
      setTimeout(finish, 200).unref();
    });
    client.on('closed', finish);
    try {
      client.send(endpoint.host, endpoint.port, opts.callingAeTitle, endpoint.aeTitle, clientSendOptions(timeoutMs, opts.tls));
    } catch (e) {
      end = { kind: 'networkError', message: (e as Error).message };
      finish();
    }
  });
}
