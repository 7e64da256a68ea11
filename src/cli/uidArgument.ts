import { InvalidArgumentError } from 'commander';
import { isValidUid } from '../store/uid';

/** A command's UID argument: a malformed one is named as such, not looked up and reported "not known". */
export function uidArgument(value: string): string {
  if (!isValidUid(value)) throw new InvalidArgumentError('not a valid DICOM UID (digits and dots, at most 64 characters)');
  return value;
}
