import type { Config } from '../config/schema';
import { logger } from '../log/logger';
import { certificateEnds, type CertificateEnd } from '../tls/certificateEnds';
import { tlsCertificateExpiry } from './metrics';

/** Within this many days of its end a certificate is logged at start-up (the alert warns at 14). */
const WARN_DAYS = 30;

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
