/**
 * DICOM UIDs (PS3.5 §9.1): digits and dots, at most 64 characters, no empty component, no leading
 * zero in a component other than "0" itself. Spool file and folder names are built only from UIDs
 * that pass this check, so a value like "1.2/../3" can never reach the file system.
 */
const UID_PATTERN = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

export function isValidUid(value: string | undefined): value is string {
  return value !== undefined && value.length > 0 && value.length <= 64 && UID_PATTERN.test(value);
}

/** UI values are padded to even length with NUL (sometimes a space, wrongly); drop the padding. */
export function trimUidPadding(value: string): string {
  return value.replace(/[\0 ]+$/, '');
}
