import { STORAGE_COMMITMENT_PUSH_MODEL } from '../export/storageCommitment';
import { KEY_OBJECT_SELECTION_SOP_CLASS } from '../rejection/rejectionNote';
import { chooseTransferSyntax, UNCOMPRESSED_TRANSFER_SYNTAXES } from './transferSyntaxPolicy';

export const VERIFICATION_SOP_CLASS = '1.2.840.10008.1.1';

/** PS3.8 §9.3.3.2 presentation context results. */
export const CONTEXT_RESULT = { accept: 0, rejectAbstractSyntax: 3, rejectTransferSyntaxes: 4 } as const;

/**
 * What the node does with objects of a SOP class: analyse them, only acknowledge them, answer C-ECHO,
 * read them as possible rejection notes (Key Object Selection documents, always accepted), or take a
 * PACS's storage commitment results (N-EVENT-REPORT of the Storage Commitment Push Model).
 */
export type SopClassRole = 'analysed' | 'acknowledged' | 'verification' | 'keyObject' | 'storageCommitment';

export interface SopClassSettings {
  analysedSopClasses: readonly string[];
  acknowledgedSopClasses: readonly string[];
}

export type ContextDecision =
  | { result: typeof CONTEXT_RESULT.accept; transferSyntax: string; role: SopClassRole }
  | {
      result: typeof CONTEXT_RESULT.rejectAbstractSyntax | typeof CONTEXT_RESULT.rejectTransferSyntaxes;
      why: string;
    };

export function roleOfSopClass(sopClassUid: string, settings: SopClassSettings): SopClassRole | undefined {
  if (sopClassUid === VERIFICATION_SOP_CLASS) return 'verification';
  if (sopClassUid === KEY_OBJECT_SELECTION_SOP_CLASS) return 'keyObject';
  if (sopClassUid === STORAGE_COMMITMENT_PUSH_MODEL) return 'storageCommitment';
  if (settings.analysedSopClasses.includes(sopClassUid)) return 'analysed';
  if (settings.acknowledgedSopClasses.includes(sopClassUid)) return 'acknowledged';
  return undefined;
}

/** Decides one proposed presentation context (abstract syntax + proposed transfer syntaxes). */
export function decidePresentationContext(
  abstractSyntax: string,
  proposedTransferSyntaxes: readonly string[],
  settings: SopClassSettings,
): ContextDecision {
  const sopClass = abstractSyntax.replace(/[\0 ]+$/, '');
  const role = roleOfSopClass(sopClass, settings);
  if (!role)
    return {
      result: CONTEXT_RESULT.rejectAbstractSyntax,
      why: 'SOP class neither analysed nor acknowledged',
    };
  const transferSyntax =
    role === 'verification' || role === 'storageCommitment'
      ? chooseTransferSyntax(proposedTransferSyntaxes, UNCOMPRESSED_TRANSFER_SYNTAXES)
      : chooseTransferSyntax(proposedTransferSyntaxes);
  if (!transferSyntax)
    return { result: CONTEXT_RESULT.rejectTransferSyntaxes, why: 'no proposed transfer syntax is accepted' };
  return { result: CONTEXT_RESULT.accept, transferSyntax, role };
}
