/** Where audit messages go: syslog over UDP (RFC 5426), TCP (RFC 6587) or TLS (RFC 5425). */
export interface AuditRepository {
  protocol: 'udp' | 'tcp' | 'tls';
  host: string;
  port: number;
}

/** audit.repository's form: udp://host:port, tcp://host:port or tls://host:port. */
export function parseAuditRepository(value: string): AuditRepository {
  const match = /^(udp|tcp|tls):\/\/(\[[^\]]+\]|[^:/\s]+):(\d{1,5})\/?$/.exec(value.trim());
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535)
    throw new Error(`audit repository "${value}" is not udp://host:port, tcp://host:port or tls://host:port`);
  return { protocol: match[1] as AuditRepository['protocol'], host: match[2].replace(/^\[|\]$/g, ''), port };
}

export function isAuditRepository(value: string): boolean {
  try {
    parseAuditRepository(value);
    return true;
  } catch {
    return false;
  }
}
