import { presentedCredentials } from '../../../src/http/auth';

/** The secret in an Authorization header: the bearer token, or the Basic password. */
const presentedSecret = (header: string | undefined) => presentedCredentials(header)?.secret;

describe('presentedSecret', () => {
  it('reads a bearer token', () => {
    expect(presentedSecret('Bearer abc.def')).toBe('abc.def');
    expect(presentedSecret('bearer  xyz ')).toBe('xyz');
  });
  it('reads the password of Basic auth, whatever the user name, keeping colons in the password', () => {
    expect(presentedSecret(`Basic ${Buffer.from('anyone:pa:ss').toString('base64')}`)).toBe('pa:ss');
    expect(presentedSecret(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBeUndefined();
  });
  it('ignores absent and other schemes', () => {
    expect(presentedSecret(undefined)).toBeUndefined();
    expect(presentedSecret('Digest username="x"')).toBeUndefined();
  });
});
