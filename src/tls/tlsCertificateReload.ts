import * as fs from 'fs';
import type * as tls from 'tls';
import type { Config } from '../config/schema';
import { tlsServerOptionsFromConfig } from './tlsOptions';
import { logger } from '../log/logger';
import { certificateEnds } from './certificateEnds';

/** How often a TLS listener looks at its files for a renewal. */
export const TLS_RELOAD_INTERVAL_MS = 60_000;

/**
 * Gives a running TLS listener renewed certificate files without a restart: when tls.certFile,
 * keyFile or caFile differ from what it last loaded, a new secure context serves the next
 * handshakes (associations already open keep theirs). Files that do not load (a key that does not
 * match the certificate, a file half written) leave the old context in place, with an error logged.
 */
export class TlsCertificateReload {
  private loaded: string;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly server: tls.Server,
    private readonly settings: Config['tls'],
    /** What the log names: 'DICOM receiver', 'HTTPS server'. */
    private readonly listener: string,
  ) {
    this.loaded = this.contents();
  }

  start(intervalMs = TLS_RELOAD_INTERVAL_MS): void {
    this.timer = setInterval(() => this.reloadIfChanged(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Loads the files if they changed; 'unchanged', 'reloaded' or 'kept' (did not load). */
  reloadIfChanged(): 'unchanged' | 'reloaded' | 'kept' {
    let current: string;
    try {
      current = this.contents();
    } catch (err) {
      logger.error('TLS certificate files not readable; the old certificate stays', { listener: this.listener, error: (err as Error).message });
      return 'kept';
    }
    if (current === this.loaded) return 'unchanged';
    try {
      const { key, cert, ca } = tlsServerOptionsFromConfig(this.settings);
      this.server.setSecureContext({ key, cert, ...(ca ? { ca } : {}) });
    } catch (err) {
      logger.error('renewed TLS certificate files do not load; the old certificate stays', { listener: this.listener, error: (err as Error).message });
      return 'kept';
    }
    this.loaded = current;
    const ours = certificateEnds(this.settings).find((e) => e.certificate === 'certFile');
    logger.info('TLS certificate reloaded', { listener: this.listener, subject: ours?.subject, notAfter: ours?.notAfter.toISOString() });
    return 'reloaded';
  }

  /** The three files' bytes as one string, to notice any change. */
  private contents(): string {
    const { certFile, keyFile, caFile } = this.settings;
    return [certFile, keyFile, caFile].map((f) => (f ? fs.readFileSync(f).toString('base64') : '')).join('|');
  }
}
