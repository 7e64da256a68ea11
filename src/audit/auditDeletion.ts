import { instancesDeleted } from './auditEvents';
import { audit, auditEnabled } from './auditTrail';
import { auditedStudy } from './studyIdentity';

/**
 * Reports files of a study the node is about to delete; awaited before the deletion, since the
 * message names the patient from one of them. Nothing to do while the trail is off.
 */
export async function auditDeletion(
  scope: 'study' | 'instances',
  studyUid: string,
  files: readonly { path: string; sopClassUid: string }[],
  reason: string,
): Promise<void> {
  if (!auditEnabled() || files.length === 0) return;
  const study = await auditedStudy(studyUid, files);
  audit((self) => instancesDeleted(self, scope, study, reason));
}
