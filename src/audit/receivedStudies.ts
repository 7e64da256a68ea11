import { STORE_STATUS } from '../dicom/dimseStatus';
import { countSopClasses, instancesReceived, type AuditedStudy, type AuditPeer } from './auditEvents';
import { audit, auditEnabled } from './auditTrail';
import { studyIdentityFromFile } from './studyIdentity';

/** One C-STORE's result as far as the audit trail cares. */
export interface ReceivedInstance {
  status: number;
  outcome: string;
  reason?: string;
  stored?: { studyUid: string; path: string };
}

/** The SOP Class UIDs of each instance, by how it went. */
interface StudyTally {
  created: string[];
  updated: string[];
  failed: string[];
  failure?: string;
  file?: string;
}

/**
 * What one association transferred, by study, for "DICOM Instances Transferred" messages: one per
 * study for the instances kept (Create; Update for corrected copies that replaced stored ones) and
 * one for those refused (minor failure, with the first reason), as PS3.15 A.5.2 asks for mixed
 * outcomes. Instances refused before their study was known are reported without a study. Nothing
 * is counted while the trail is off.
 */
export class ReceivedStudies {
  private readonly studies = new Map<string, StudyTally>();

  note(sopClassUid: string, result: ReceivedInstance): void {
    if (!auditEnabled()) return;
    const success = result.status === STORE_STATUS.success;
    // Acknowledged instances that were not kept: nothing of them is known or held.
    if (success && !result.stored) return;
    const studyUid = result.stored?.studyUid ?? '';
    let tally = this.studies.get(studyUid);
    if (!tally) this.studies.set(studyUid, (tally = { created: [], updated: [], failed: [] }));
    (!success ? tally.failed : result.outcome === 'replaced' ? tally.updated : tally.created).push(sopClassUid);
    if (!success) tally.failure ??= result.reason;
    if (success && result.outcome !== 'previouslyRejected') tally.file ??= result.stored?.path;
  }

  /** Reports and forgets what was noted (an association ends once, but close may follow an abort). */
  report(sender: AuditPeer): void {
    for (const [studyUid, tally] of this.studies) {
      const parts: Array<[string[], 'C' | 'U', 0 | 4]> = [
        [tally.created, 'C', 0],
        [tally.updated, 'U', 0],
        [tally.failed, 'C', 4],
      ];
      for (const [uids, action, outcome] of parts) {
        if (uids.length === 0) continue;
        const sopClasses = countSopClasses(uids);
        const description = outcome === 4 ? `${uids.length} instance(s) refused: ${tally.failure ?? 'unknown reason'}` : undefined;
        audit(async (self) => {
          const identity = tally.file ? await studyIdentityFromFile(tally.file) : {};
          const study: AuditedStudy | undefined = studyUid
            ? { studyUid, sopClasses, accessionNumber: identity.accessionNumber, patient: identity.patient }
            : undefined;
          return instancesReceived(self, sender, study, { action, outcome, description });
        });
      }
    }
    this.studies.clear();
  }
}
