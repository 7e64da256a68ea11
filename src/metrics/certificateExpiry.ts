import { X509Certificate } from 'crypto';
import * as fs from 'fs';
import type { Config } from '../config/schema';
import { logger } from '../log/logger';
import { tlsCertificateExpiry } from './metrics';

/** Within this many days of its end a certificate is logged at start-up (the alert warns at 14). */
const WARN_DAYS = 30;

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

/**
 * Sets mammocad_tls_certificate_expiry_timestamp_seconds{certificate} at a scrape, so that renewed
 * files show at once; a file that cannot be read drops its series (start-up has logged why).
 */
export function refreshCertificateMetric(tls: Config['tls']): void {
  tlsCertificateExpiry.reset();
  try {
    for (const end of certificateEnds(tls)) tlsCertificateExpiry.set({ certificate: end.certificate }, end.notAfter.getTime() / 1000);
  } catch {
    // warnOfCertificateEnds said it at start-up; a scrape is no place to repeat it.
  }
}

/** At start-up: an expired certificate is an error in the log, one ending within 30 days a warning. */
export function warnOfCertificateEnds(tls: Config['tls'], now = Date.now()): void {
  let ends: CertificateEnd[];
  try {
    ends = certificateEnds(tls);
  } catch (err) {
    logger.warn('TLS certificate not readable', { error: (err as Error).message });
    return;
  }
  for (const { certificate, notAfter, subject } of ends) {
    const days = Math.floor((notAfter.getTime() - now) / 86_400_000);
    const meta = { certificate: `tls.${certificate}`, subject, notAfter: notAfter.toISOString(), days };
    if (notAfter.getTime() <= now) logger.error('TLS certificate expired: TLS associations with it fail', meta);
    else if (days < WARN_DAYS) logger.warn('TLS certificate expires soon: renew it', meta);
  }
}
