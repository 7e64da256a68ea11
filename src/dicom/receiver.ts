import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import * as tls from 'tls';
import { Implementation } from 'dcmjs-dimse';
import { nodeAuthenticationFailed } from '../audit/auditEvents';
import { audit } from '../audit/auditTrail';
import { tlsServerOptionsFromConfig } from '../tls/tlsOptions';
import { Config } from '../config/schema';
import { bridgeDicomLibraryLogging } from '../log/dicomLibraryLogBridge';
import { logger } from '../log/logger';
import { incomingDir } from '../store/spoolPaths';
import { probeSpool } from '../store/spoolProbe';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from './implementationIdentity';
import { MammocadScp, ReceiverContext } from './mammocadScp';
import { PduLengthGuard } from './pduLengthGuard';
import { TlsCertificateReload } from '../tls/tlsCertificateReload';

/** We announce 64 KiB; 1 MiB leaves room for senders that round up, and for large A-ASSOCIATE-RQs. */
const MAX_ACCEPTED_PDU_LENGTH = 1024 * 1024;

export interface ReceiverOptions {
  config: Config;
  enqueue: ReceiverContext['enqueue'];
  enqueueRejectionNote: ReceiverContext['enqueueRejectionNote'];
  enqueueCommitmentResult: ReceiverContext['enqueueCommitmentResult'];
  /** Listen address; default all interfaces. */
  host?: string;
}

function freeDiskMb(dir: string): number {
  const stats = fs.statfsSync(dir);
  return (stats.bavail * stats.bsize) / (1024 * 1024);
}

/**
 * The DICOM listener: one MammocadScp per TCP connection. We own the net.Server (rather than
 * dcmjs-dimse's Server) so shutdown can stop accepting, let open associations finish within a
 * grace period, and only then cut the rest.
 */
export class DicomReceiver {
  private server: net.Server | undefined;
  /** With TLS: picks up renewed certificate files (exposed for tests). */
  tlsReload: TlsCertificateReload | undefined;
  private readonly sockets = new Set<net.Socket>();
  private readonly ctx: ReceiverContext;

  constructor(private readonly options: ReceiverOptions) {
    bridgeDicomLibraryLogging();
    Implementation.setImplementationClassUid(IMPLEMENTATION_CLASS_UID);
    Implementation.setImplementationVersion(IMPLEMENTATION_VERSION_NAME);
    const dataDir = options.config.dataDir;
    this.ctx = {
      config: options.config,
      open: new Set(),
      draining: false,
      freeDiskMb: () => freeDiskMb(dataDir),
      enqueue: options.enqueue,
      enqueueRejectionNote: options.enqueueRejectionNote,
      enqueueCommitmentResult: options.enqueueCommitmentResult,
    };
  }

  get openAssociations(): number {
    return this.ctx.open.size;
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  async start(port = this.options.config.dicomPort): Promise<number> {
    const { config } = this.options;
    await probeSpool(incomingDir(config.dataDir));
    await this.removeLeftoverTempFiles();
    const idleMs = config.receiver.associationIdleSeconds * 1000;
    // With config.tls.enabled the listener speaks DICOM over TLS only (dcmjs-dimse takes TLS sockets).
    let server: net.Server;
    if (config.tls.enabled) {
      const tlsServer = tls.createServer(tlsServerOptionsFromConfig(config.tls), (socket) => this.onConnection(socket, idleMs));
      this.tlsReload = new TlsCertificateReload(tlsServer, config.tls, 'DICOM receiver');
      this.tlsReload.start();
      server = tlsServer;
    } else server = net.createServer((socket) => this.onConnection(socket, idleMs));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(e.code === 'EADDRINUSE' ? new Error(`DICOM port ${port} is in use: set MAMMOCAD_DICOM_PORT`) : e),
      );
      server.listen(port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (e) => logger.error('DICOM listener error', { error: e.message }));
    // A peer without a certificate our CA issued (mutual TLS), or speaking plain DICOM to the TLS port.
    server.on('tlsClientError', (e: Error, socket: tls.TLSSocket) => {
      const address = socket.remoteAddress ?? '';
      logger.warn('TLS handshake failed', { address, error: e.message });
      audit((self) => nodeAuthenticationFailed(self, { aeTitle: '', address }, `TLS handshake failed: ${e.message}`));
    });
    const bound = (server.address() as net.AddressInfo).port;
    logger.info('DICOM receiver listening', {
      port: bound,
      aeTitle: config.aeTitle,
      tls: config.tls.enabled,
    });
    return bound;
  }

  private onConnection(socket: net.Socket, idleMs: number): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    // Anything thrown while reading a peer's bytes must end that connection, never the process.
    socket.on('error', () => undefined);
    // Registered before the SCP's own reader, so an oversized PDU is cut before it is buffered.
    const guard = new PduLengthGuard(MAX_ACCEPTED_PDU_LENGTH);
    socket.on('data', (chunk: Buffer) => {
      const violation = guard.feed(chunk);
      if (!violation) return;
      logger.warn('connection closed: PDU too long', { address: socket.remoteAddress, reason: violation });
      socket.destroy();
    });
    try {
      const scp = new MammocadScp(socket, {
        associationTimeout: idleMs,
        pduTimeout: idleMs,
        connectTimeout: idleMs,
        customOptions: { receiver: this.ctx },
      }) as MammocadScp & { connected: boolean; connectedTime: number };
      // dcmjs-dimse only sets these for client sockets; without them its idle timers never fire.
      scp.connected = true;
      scp.connectedTime = Date.now();
      // Its per-connection idle timer must not keep a stopping process alive.
      (scp as unknown as { timeoutIntervalId?: NodeJS.Timeout }).timeoutIntervalId?.unref();
      scp.on('networkError', (e: Error) => {
        // After our A-ABORT (logged with its reason), the peer's later PDUs only fail to be answered.
        if (!scp.abortSent)
          logger.warn('association ended on a network or protocol error', {
            address: socket.remoteAddress,
            error: e.message,
            // One operation at a time is negotiated: a message while a response is owed breaks that,
            // and dcmjs-dimse then fails with an error of its own that names no cause.
            ...(scp.owesResponse && {
              reason: 'the peer sent a message before our response to its last one (asynchronous operations are not negotiated)',
            }),
          });
        socket.destroy();
      });
    } catch (e) {
      logger.warn('connection refused', { address: socket.remoteAddress, error: (e as Error).message });
      socket.destroy();
    }
  }

  /**
   * Temp files of transfers cut by a crash are never complete. Receivers may share one spool, so
   * only files nobody has written to for a while (well past the idle timeout) are removed.
   */
  private async removeLeftoverTempFiles(): Promise<void> {
    const dir = incomingDir(this.options.config.dataDir);
    const staleBefore =
      Date.now() - Math.max(600, 4 * this.options.config.receiver.associationIdleSeconds) * 1000;
    for (const name of await fs.promises.readdir(dir)) {
      const file = path.join(dir, name);
      const stat = await fs.promises.stat(file).catch(() => undefined);
      if (stat && stat.mtimeMs < staleBefore) await fs.promises.unlink(file).catch(() => undefined);
    }
  }

  /**
   * Stops accepting connections and associations, waits up to `graceMs` for open associations to
   * end, then closes what is left (their partial files are removed).
   */
  async stop(graceMs = this.options.config.receiver.shutdownGraceSeconds * 1000): Promise<void> {
    this.ctx.draining = true;
    this.tlsReload?.stop();
    const closed = new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    const deadline = Date.now() + graceMs;
    while (this.ctx.open.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (this.ctx.open.size > 0)
      logger.warn('closing associations still open after the grace period', { open: this.ctx.open.size });
    for (const socket of this.sockets) socket.destroy();
    await closed;
    logger.info('DICOM receiver stopped');
  }
}
