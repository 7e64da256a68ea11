import * as net from 'net';
import { Client, Dataset, Scp, association as dimseAssociation, constants, requests, responses } from 'dcmjs-dimse';
import { STORAGE_COMMITMENT_INSTANCE, STORAGE_COMMITMENT_PUSH_MODEL } from '../../src/export/storageCommitment';
import { serveScp } from './scpServer';

/**
 * A scripted PACS (dcmjs-dimse Scp on loopback) that stores every object and, asked for storage
 * commitment, reports "all committed" to `reportTo` on an association of its own BEFORE it answers
 * the N-ACTION: the fastest PACS possible, which Orthanc only sometimes is.
 */
export interface EagerCommitmentScp {
  aeTitle: string;
  port: number;
  stop(): void;
}

export async function startEagerCommitmentScp(reportTo: { port: number; aeTitle: string }): Promise<EagerCommitmentScp> {
  class EagerScp extends Scp {
    constructor(socket: net.Socket, opts: object) {
      super(socket, opts);
    }
    override associationRequested(assoc: dimseAssociation.Association): void {
      for (const { context } of assoc.getPresentationContexts())
        context.setResult(constants.PresentationContextResult.Accept, context.getTransferSyntaxUids()[0]);
      this.sendAssociationAccept();
    }
    override cStoreRequest(request: requests.CStoreRequest, callback: (r: responses.CStoreResponse) => void): void {
      const response = responses.CStoreResponse.fromRequest(request);
      response.setStatus(0);
      callback(response);
    }
    override nActionRequest(request: requests.NActionRequest, callback: (r: responses.NActionResponse) => void): void {
      const info = request.getDataset()?.getElements() ?? {};
      void report(reportTo, info).then(() => {
        const response = responses.NActionResponse.fromRequest(request);
        response.setStatus(0);
        callback(response);
      });
    }
    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
    }
  }
  return { aeTitle: 'EAGERPACS', ...(await serveScp((socket) => new EagerScp(socket, {}))) };
}

/** N-EVENT-REPORT "successful" for everything the request named, as the SCP of the reverse association. */
function report(to: { port: number; aeTitle: string }, info: Record<string, unknown>): Promise<void> {
  const client = new Client();
  const event = new requests.NEventReportRequest(STORAGE_COMMITMENT_PUSH_MODEL, STORAGE_COMMITMENT_INSTANCE, 1);
  event.setDataset(new Dataset({ TransactionUID: info.TransactionUID, ReferencedSOPSequence: info.ReferencedSOPSequence }));
  client.addRequest(event);
  return new Promise((resolve) => {
    client.on('closed', () => resolve());
    client.on('networkError', () => resolve());
    client.send('127.0.0.1', to.port, 'EAGERPACS', to.aeTitle);
  });
}
