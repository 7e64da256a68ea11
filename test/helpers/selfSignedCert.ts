import { execFileSync } from 'child_process';
import * as path from 'path';

export interface SelfSignedCert {
  keyFile: string;
  certFile: string;
}

/** A throwaway self-signed certificate for 127.0.0.1 / localhost, made with openssl in `dir`, valid `days`. */
export function makeSelfSignedCert(dir: string, name = 'node', days = 1): SelfSignedCert {
  const keyFile = path.join(dir, `${name}.key.pem`);
  const certFile = path.join(dir, `${name}.cert.pem`);
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', String(days),
      '-keyout', keyFile, '-out', certFile,
      '-subj', `/CN=${name}`,
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore', timeout: 20000 },
  );
  return { keyFile, certFile };
}
