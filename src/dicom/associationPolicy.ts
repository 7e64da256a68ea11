/**
 * Whether to accept an A-ASSOCIATE-RQ, as a pure function of the request and the node's state.
 * Rejections carry the PS3.8 §9.3.4 result/source/reason: permanent when retrying cannot help
 * (wrong AE titles, address not allowed), transient when it can (busy, disk nearly full).
 */
export const REJECT_RESULT = { permanent: 1, transient: 2 } as const;
export const REJECT_SOURCE = {
  serviceUser: 1,
  serviceProviderAcse: 2,
  serviceProviderPresentation: 3,
} as const;
/** Reason codes; their meaning depends on the source (PS3.8 Table 9-21). */
export const REJECT_REASON = {
  userNoReasonGiven: 1,
  userCallingAeNotRecognised: 3,
  userCalledAeNotRecognised: 7,
  presentationTemporaryCongestion: 1,
  presentationLocalLimitExceeded: 2,
} as const;

export interface AssociationRequestFacts {
  calledAe: string;
  callingAe: string;
  /** Remote address of the TCP connection (IPv4-mapped IPv6 forms are accepted). */
  sourceAddress: string;
  /** Associations already open, not counting this one. */
  openAssociations: number;
  /** Free space where the spool lives, MiB. */
  freeDiskMb: number;
}

export interface AssociationPolicySettings {
  aeTitle: string;
  /** Empty: any calling AE. */
  allowedCallingAes: readonly string[];
  /** Empty: any source address. */
  allowedSourceAddresses: readonly string[];
  maxAssociations: number;
  minFreeDiskMb: number;
}

/** `notAuthorised`: refused by an allow list (a security alert for the audit trail), not for load or a wrong address. */
export type AssociationDecision =
  | { accept: true }
  | { accept: false; result: number; source: number; reason: number; why: string; notAuthorised?: true };

/** AE titles compare without their space padding (PS3.5: leading and trailing spaces are not significant). */
function sameAe(a: string, b: string): boolean {
  return a.trim() === b.trim();
}

function normaliseAddress(address: string): string {
  return address.replace(/^::ffff:/i, '');
}

export function decideAssociation(
  facts: AssociationRequestFacts,
  policy: AssociationPolicySettings,
): AssociationDecision {
  if (!sameAe(facts.calledAe, policy.aeTitle)) {
    return {
      accept: false,
      result: REJECT_RESULT.permanent,
      source: REJECT_SOURCE.serviceUser,
      reason: REJECT_REASON.userCalledAeNotRecognised,
      why: 'called AE title not recognised',
    };
  }
  if (
    policy.allowedCallingAes.length > 0 &&
    !policy.allowedCallingAes.some((ae) => sameAe(ae, facts.callingAe))
  ) {
    return {
      accept: false,
      result: REJECT_RESULT.permanent,
      source: REJECT_SOURCE.serviceUser,
      reason: REJECT_REASON.userCallingAeNotRecognised,
      why: 'calling AE title not on the allow list',
      notAuthorised: true,
    };
  }
  if (
    policy.allowedSourceAddresses.length > 0 &&
    !policy.allowedSourceAddresses.map(normaliseAddress).includes(normaliseAddress(facts.sourceAddress))
  ) {
    // No reason code names an address; "no reason given" keeps the allow list private.
    return {
      accept: false,
      result: REJECT_RESULT.permanent,
      source: REJECT_SOURCE.serviceUser,
      reason: REJECT_REASON.userNoReasonGiven,
      why: 'source address not on the allow list',
      notAuthorised: true,
    };
  }
  if (facts.openAssociations >= policy.maxAssociations) {
    return {
      accept: false,
      result: REJECT_RESULT.transient,
      source: REJECT_SOURCE.serviceProviderPresentation,
      reason: REJECT_REASON.presentationLocalLimitExceeded,
      why: `association limit reached (${policy.maxAssociations})`,
    };
  }
  if (facts.freeDiskMb < policy.minFreeDiskMb) {
    return {
      accept: false,
      result: REJECT_RESULT.transient,
      source: REJECT_SOURCE.serviceProviderPresentation,
      reason: REJECT_REASON.presentationTemporaryCongestion,
      why: `free disk ${Math.floor(facts.freeDiskMb)} MiB below ${policy.minFreeDiskMb} MiB`,
    };
  }
  return { accept: true };
}
