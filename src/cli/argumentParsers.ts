import { InvalidArgumentError } from 'commander';
import { isValidUid } from '../store/uid';

/** A command's UID argument: a malformed one is named as such, not looked up and reported "not known". */
export function uidArgument(value: string): string {
  if (!isValidUid(value)) throw new InvalidArgumentError('not a valid DICOM UID (digits and dots, at most 64 characters)');
  return value;
}

/**
 * A parser for a plain decimal option (no sign, no hex, not empty: Number('') is 0, so an empty shell
 * variable would otherwise pass as 0), refused with `expected` when it is not one or is 0 where
 * `aboveZero`.
 */
export function decimalArgument(expected: string, aboveZero = false): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value.trim()) || (aboveZero && !(n > 0))) throw new InvalidArgumentError(expected);
    return n;
  };
}
