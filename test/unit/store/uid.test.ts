import { isValidUid, trimUidPadding } from '../../../src/store/uid';

describe('UID validation', () => {
  it.each([
    '1.2.840.10008.5.1.4.1.1.1.2',
    '0',
    '1.0.2',
    '2.25.123456789012345678901234567890',
    '1.' + '2'.repeat(62),
  ])('accepts %s', (uid) => expect(isValidUid(uid)).toBe(true));

  it.each([
    ['empty', ''],
    ['undefined', undefined],
    ['path characters', '1.2/../3'],
    ['a backslash', '1.2\\3'],
    ['leading zero component', '1.02.3'],
    ['empty component', '1..2'],
    ['trailing dot', '1.2.'],
    ['leading dot', '.1.2'],
    ['letters', '1.2.abc'],
    ['space inside', '1.2 .3'],
    ['65 characters', '1.' + '2'.repeat(63)],
    ['NUL padding left in', '1.2\0'],
  ])('refuses %s', (_what, uid) => expect(isValidUid(uid as string | undefined)).toBe(false));

  it('drops NUL and space padding', () => {
    expect(trimUidPadding('1.2.3\0')).toBe('1.2.3');
    expect(trimUidPadding('1.2.3 ')).toBe('1.2.3');
    expect(trimUidPadding('1.2.3')).toBe('1.2.3');
  });
});
