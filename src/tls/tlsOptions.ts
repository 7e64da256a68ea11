import * as fs from 'fs';
import type { Config } from '../config/schema';

/** What dcmjs-dimse passes on to node's tls.connect / tls.createServer (its `securityOptions`). */
export interface TlsClientOptions {
  key?: Buffer;
  cert?: Buffer;
  ca?: Buffer;
  rejectUnauthorized?: boolean;
  requestCert?: boolean;
  minVersion?: string;
}

/**
 * TLS material from config.tls, read once. The peer is always verified (against caFile when given,
 * else the system store); our own certificate is offered when certFile/keyFile are set (mutual TLS).
 */
export function tlsOptionsFromConfig(tls: Config['tls']): TlsClientOptions {
  const read = (file: string): Buffer | undefined => (file ? fs.readFileSync(file) : undefined);
  const options: TlsClientOptions = { rejectUnauthorized: true, minVersion: 'TLSv1.2' };
  const key = read(tls.keyFile);
  const cert = read(tls.certFile);
  const ca = read(tls.caFile);
  if (key) options.key = key;
  if (cert) options.cert = cert;
  if (ca) options.ca = ca;
  return options;
}

/** What the receiver's tls.createServer needs: our certificate and key; with caFile, client certificates are required (mutual TLS). */
export interface TlsServerOptions {
  key: Buffer;
  cert: Buffer;
  ca?: Buffer;
  requestCert: boolean;
  rejectUnauthorized: boolean;
  minVersion: 'TLSv1.2';
}

/** `requiredBy`: the setting that turned the listener on (the DICOM receiver's, or the HTTPS port's), named when files are missing. */
export function tlsServerOptionsFromConfig(tls: Config['tls'], requiredBy: 'tls.enabled' | 'http.tls' = 'tls.enabled'): TlsServerOptions {
  if (!tls.certFile || !tls.keyFile) throw new Error(`config ${requiredBy} needs tls.certFile and tls.keyFile`);
  const ca = tls.caFile ? fs.readFileSync(tls.caFile) : undefined;
  return {
    key: fs.readFileSync(tls.keyFile),
    cert: fs.readFileSync(tls.certFile),
    ...(ca ? { ca } : {}),
    requestCert: Boolean(ca),
    rejectUnauthorized: Boolean(ca),
    minVersion: 'TLSv1.2',
  };
}
