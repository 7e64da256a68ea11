import { countSopClasses, instancesSent, type AuditedStudy, type AuditPeer } from './auditEvents';
import { audit, auditEnabled } from './auditTrail';
import { studyIdentityFromFile } from './studyIdentity';

/**
 * "DICOM Instances Transferred" (Read) for files an operator sent (`mammocad send`): one message per
 * study for those delivered and one, a minor failure with the first reason, for those that were not.
 */
export async function auditSentFiles(
  destination: AuditPeer,
  results: readonly { file: string; sopClassUid: string; delivered: boolean; detail: string }[],
): Promise<void> {
  if (!auditEnabled()) return;
  const groups = new Map<string, { study: AuditedStudy; sopClassUids: string[]; failure?: string }>();
  for (const r of results) {
    const identity = await studyIdentityFromFile(r.file);
    const studyUid = identity.studyUid ?? '(unknown)';
    const key = `${studyUid} ${r.delivered}`;
    let group = groups.get(key);
    if (!group) {
      const study = { studyUid, sopClasses: [], accessionNumber: identity.accessionNumber, patient: identity.patient };
      groups.set(key, (group = { study, sopClassUids: [] }));
    }
    group.sopClassUids.push(r.sopClassUid);
    if (!r.delivered) group.failure ??= r.detail;
  }
  for (const { study, sopClassUids, failure } of groups.values()) {
    const sopClasses = countSopClasses(sopClassUids);
    const result = failure === undefined ? { outcome: 0 as const } : { outcome: 4 as const, description: `not delivered: ${failure}` };
    audit((self) => instancesSent(self, destination, { ...study, sopClasses }, result));
  }
}
