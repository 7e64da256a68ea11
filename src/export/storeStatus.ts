/**
 * What a C-STORE response status means for us (PS3.4 B.2.3 and PS3.7 C). Warnings still mean the
 * destination keeps the object, so they count as delivered; everything else is a failure.
 */
export type StoreOutcome = 'delivered' | 'warning' | 'failed';

export const STORE_WARNING_STATUSES: ReadonlyMap<number, string> = new Map([
  [0xb000, 'Coercion of Data Elements'],
  [0xb007, 'Data Set does not match SOP Class'],
  [0xb006, 'Elements Discarded'],
]);

/**
 * PS3.7 Annex C puts 0001 and every Bxxx status in the Warning class: the object is stored (some
 * archives send their own Bxxx codes, e.g. 0xB100 for an instance they keep).
 */
export function isWarningStatus(status: number): boolean {
  return status === 0x0001 || (status & 0xf000) === 0xb000;
}

export function storeOutcomeOf(status: number): StoreOutcome {
  if (status === 0x0000) return 'delivered';
  if (isWarningStatus(status)) return 'warning';
  return 'failed';
}

export function describeStoreStatus(status: number): string {
  // A damaged response reads as one without a status (NaN), which is a failure too.
  if (!Number.isInteger(status)) return 'no Status (0000,0900) in the response';
  const hex = `0x${status.toString(16).toUpperCase().padStart(4, '0')}`;
  if (status === 0x0000) return `${hex} Success`;
  if (isWarningStatus(status)) return `${hex} Warning: ${STORE_WARNING_STATUSES.get(status) ?? 'object stored'}`;
  if (status >= 0xa700 && status <= 0xa7ff) return `${hex} Refused: Out of Resources`;
  if (status >= 0xa900 && status <= 0xa9ff) return `${hex} Error: Data Set does not match SOP Class`;
  if (status >= 0xc000 && status <= 0xcfff) return `${hex} Error: Cannot understand`;
  const named: Record<number, string> = {
    0x0110: 'Processing Failure',
    0x0111: 'Duplicate SOP Instance',
    0x0117: 'Invalid Object Instance',
    0x0122: 'Refused: SOP Class not Supported',
    0x0124: 'Refused: Not Authorized',
    0x0210: 'Duplicate Invocation',
    0x0211: 'Unrecognized Operation',
    0x0212: 'Mistyped Argument',
    0x0213: 'Resource Limitation',
    0xfe00: 'Cancel',
  };
  return `${hex} ${named[status] ?? 'Failure'}`;
}
