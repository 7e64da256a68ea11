import * as dgram from 'dgram';
import * as net from 'net';
import * as tls from 'tls';
import { logger } from '../log/logger';
import { auditMessagesTotal } from '../metrics/metrics';
import type { TlsClientOptions } from '../tls/tlsOptions';
import type { AuditRepository } from './auditRepository';
import { octetCountingFrame } from './syslogMessage';

export interface SyslogSender {
  /** Never throws and never waits: an audit repository that is down must not hold up DICOM work. */
  send(message: Buffer): void;
  /** Sends what is waiting (at most `timeoutMs`), then closes. */
  close(timeoutMs: number): Promise<void>;
}

/** Messages kept while a TCP or TLS repository is unreachable; the oldest go first beyond it. */
const MAX_WAITING = 10_000;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;
/** A connection that has held this long counts as the repository being back. */
const STABLE_MS = 5000;

/** `tlsOptions` is called at each connection, so renewed certificate files are used from the next one. */
export function createSyslogSender(repository: AuditRepository, tlsOptions: () => TlsClientOptions): SyslogSender {
  return repository.protocol === 'udp' ? new UdpSender(repository) : new StreamSender(repository, tlsOptions);
}

function describe(r: AuditRepository): string {
  return `${r.protocol}://${r.host}:${r.port}`;
}

/** One datagram per message (RFC 5426 3.1); lost datagrams are not known to us. */
class UdpSender implements SyslogSender {
  private readonly socket: dgram.Socket;
  private failing = false;
  private closed = false;
  /** Datagrams handed to the socket and not yet sent (the host name may still be resolving). */
  private pending = 0;

  constructor(private readonly repository: AuditRepository) {
    this.socket = dgram.createSocket(net.isIPv6(repository.host) ? 'udp6' : 'udp4');
    this.socket.on('error', (e) => this.failed(e));
    this.socket.unref();
  }

  send(message: Buffer): void {
    if (this.closed) return;
    this.pending++;
    this.socket.send(message, this.repository.port, this.repository.host, (e) => {
      this.pending--;
      auditMessagesTotal.inc({ outcome: e ? 'dropped' : 'sent' });
      if (e) this.failed(e);
      else this.failing = false;
    });
  }

  private failed(e: Error): void {
    if (!this.failing) logger.warn('audit message not sent', { repository: describe(this.repository), error: e.message });
    this.failing = true;
  }

  async close(timeoutMs: number): Promise<void> {
    this.closed = true;
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}

/**
 * A long-lived TCP or TLS connection with octet-counted frames. While the repository is down the
 * messages wait (up to MAX_WAITING) and the connection is retried with a growing delay; one warning
 * per outage, and one info line when it is back, says how many were dropped meanwhile.
 */
class StreamSender implements SyslogSender {
  private socket: net.Socket | undefined;
  private connected = false;
  private readonly waiting: Buffer[] = [];
  private dropped = 0;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private stableTimer: NodeJS.Timeout | undefined;
  private down = false;
  private closing = false;

  constructor(
    private readonly repository: AuditRepository,
    private readonly tlsOptions: () => TlsClientOptions,
  ) {}

  send(message: Buffer): void {
    if (this.closing) return; // an event that finished building after the stop
    if (this.waiting.length >= MAX_WAITING) {
      this.waiting.shift();
      this.dropped++;
      auditMessagesTotal.inc({ outcome: 'dropped' });
    }
    this.waiting.push(octetCountingFrame(message));
    this.flush();
  }

  private flush(): void {
    if (!this.connected) {
      // While down, the retry timer connects; a new message does not hurry it.
      if (!this.socket && !this.retryTimer) this.connect();
      return;
    }
    while (this.waiting.length > 0) {
      this.socket!.write(this.waiting.shift()!);
      auditMessagesTotal.inc({ outcome: 'sent' });
    }
  }

  /** One warning per outage. */
  private wentDown(e: Error): void {
    if (!this.down)
      logger.warn('audit repository unreachable; audit messages wait', {
        repository: describe(this.repository),
        error: e.message,
        waiting: this.waiting.length,
      });
    this.down = true;
  }

  private connect(): void {
    const { host, port, protocol } = this.repository;
    let options: TlsClientOptions = {};
    try {
      if (protocol === 'tls') options = this.tlsOptions();
    } catch (e) {
      this.wentDown(e as Error); // certificate files not readable (mid-renewal): try again later
      this.scheduleRetry();
      return;
    }
    const socket =
      protocol === 'tls'
        ? tls.connect({ host, port, ...(options as tls.ConnectionOptions), ...(!net.isIP(host) && { servername: host }) })
        : net.connect({ host, port });
    this.socket = socket;
    socket.setKeepAlive(true, 60_000);
    socket.unref();
    socket.once(protocol === 'tls' ? 'secureConnect' : 'connect', () => {
      this.connected = true;
      this.flush();
      // Back only once the connection holds: under TLS 1.3 a repository that refuses our
      // certificate resets the connection just after the handshake.
      this.stableTimer = setTimeout(() => {
        if (this.down) logger.info('audit repository reachable again', { repository: describe(this.repository), dropped: this.dropped });
        this.down = false;
        this.dropped = 0;
        this.retryMs = FIRST_RETRY_MS;
      }, STABLE_MS);
      this.stableTimer.unref();
    });
    socket.on('error', (e) => this.wentDown(e));
    socket.on('close', () => {
      this.socket = undefined;
      this.connected = false;
      clearTimeout(this.stableTimer);
      // Repositories close idle connections: the next message connects again.
      if (!this.closing && this.waiting.length > 0) this.scheduleRetry();
    });
  }

  private scheduleRetry(): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.flush();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
  }

  async close(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // Give a connection in progress the chance to deliver what waits.
    while ((this.waiting.length > 0 || (this.socket?.writableLength ?? 0) > 0) && this.socket && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.waiting.length > 0) {
      logger.warn('audit messages not delivered at shutdown', { repository: describe(this.repository), count: this.waiting.length });
      auditMessagesTotal.inc({ outcome: 'dropped' }, this.waiting.length);
    }
    const socket = this.socket;
    if (!socket) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.destroy();
        resolve();
      }, Math.max(100, deadline - Date.now()));
      socket.end(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
