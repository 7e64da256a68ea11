import { X509Certificate } from 'crypto';
import * as fs from 'fs';
import type { Config } from '../config/schema';

/** The configured TLS file and, for a bundle, its certificate that ends first. */
export interface CertificateEnd {
  /** The config key: certFile (ours, offered to peers) or caFile (whom we trust). */
  certificate: 'certFile' | 'caFile';
  notAfter: Date;
  subject: string;
}

/** Every PEM certificate in a file (a CA bundle holds several). */
function readCertificates(file: string): X509Certificate[] {
  const pem = fs.readFileSync(file, 'utf8');
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((block) => new X509Certificate(block));
}

/** When each configured TLS file's first-ending certificate ends; files not set are left out. */
export function certificateEnds(tls: Config['tls']): CertificateEnd[] {
  const ends: CertificateEnd[] = [];
  for (const certificate of ['certFile', 'caFile'] as const) {
    const file = tls[certificate];
    if (!file) continue;
    const certs = readCertificates(file);
    if (certs.length === 0) throw new Error(`tls.${certificate} ${file} holds no PEM certificate`);
    const first = certs.map((c) => ({ c, end: new Date(Date.parse(c.validTo)) })).sort((a, b) => a.end.getTime() - b.end.getTime())[0];
    ends.push({ certificate, notAfter: first.end, subject: first.c.subject.replace(/\n/g, ', ') });
  }
  return ends;
}
