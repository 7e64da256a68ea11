import { Scp, association as dimseAssociation, constants, requests, responses } from 'dcmjs-dimse';
import { serveScp } from './scpServer';

/**
 * A scripted C-STORE SCP (dcmjs-dimse Scp on a loopback net.Server) that answers every C-STORE with a chosen status, for
 * the statuses storescp cannot produce (warnings, refusals). Accepts every proposed context.
 */
export interface StatusScp {
  port: number;
  received: string[];
  stop(): void;
}

/** `beforeAnswer` runs when a C-STORE has arrived and before it is answered (something happening meanwhile). */
export async function startStatusScp(status: number, comment = '', beforeAnswer?: () => Promise<void>): Promise<StatusScp> {
  const received: string[] = [];
  class ScriptedScp extends Scp {
    constructor(socket: any, opts: any) {
      super(socket, opts);
    }
    override associationRequested(assoc: dimseAssociation.Association): void {
      for (const { context } of assoc.getPresentationContexts()) {
        const syntaxes = context.getTransferSyntaxUids();
        const chosen = syntaxes.includes('1.2.840.10008.1.2.1') ? '1.2.840.10008.1.2.1' : syntaxes[0];
        context.setResult(constants.PresentationContextResult.Accept, chosen);
      }
      this.sendAssociationAccept();
    }
    override cStoreRequest(request: requests.CStoreRequest, callback: (r: responses.CStoreResponse) => void): void {
      received.push(request.getAffectedSopInstanceUid());
      const response = responses.CStoreResponse.fromRequest(request);
      response.setStatus(status);
      if (comment) response.setErrorComment(comment);
      void (beforeAnswer ?? (async () => undefined))().then(() => callback(response));
    }
    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
    }
  }
  const server = await serveScp((socket) => new ScriptedScp(socket, {}));
  return { ...server, received };
}
