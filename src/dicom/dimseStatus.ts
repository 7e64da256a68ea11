/** C-STORE response statuses the receiver uses (PS3.4 Table B.2-1, PS3.7 Annex C). */
export const STORE_STATUS = {
  success: 0x0000,
  /** Refused: out of resources (disk write failed, or the job could not be queued). */
  outOfResources: 0xa700,
  /** Refused: SOP class not supported (no accepted storage context for it). */
  sopClassNotSupported: 0x0122,
  /** Error: data set does not match SOP class. */
  datasetSopClassMismatch: 0xa900,
  /** Error: cannot understand (unparsable, missing or invalid UIDs). */
  cannotUnderstand: 0xc000,
} as const;
