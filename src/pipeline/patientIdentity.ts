import type { SourceHeader } from './reportAdapter';

/**
 * How many patients the images of one study belong to, by Patient ID and its issuer (PS3.3 C.7.1.1).
 * A study holds one patient's images; more than one means the study is mixed (a modality that reused
 * a Study Instance UID, a merge in the PACS), and one report would carry one patient's CAD marks into
 * the other's record. Images without a Patient ID cannot disagree with anyone; an issuer counts only
 * where both images name one, since a modality often leaves it out where the PACS fills it in.
 */
export function patientsInStudy(headers: readonly SourceHeader[]): number {
  const issuersById = new Map<string, Set<string>>();
  for (const header of headers) {
    const id = text(header.PatientID);
    if (!id) continue;
    const issuers = issuersById.get(id) ?? new Set<string>();
    const issuer = text(header.IssuerOfPatientID);
    if (issuer) issuers.add(issuer);
    issuersById.set(id, issuers);
  }
  let patients = 0;
  for (const issuers of issuersById.values()) patients += Math.max(1, issuers.size);
  return patients;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
