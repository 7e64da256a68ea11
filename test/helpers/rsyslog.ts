import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from '../../src/redis/freePort';
import { waitFor } from './childProcess';

/** One message as rsyslog received and parsed it. */
export interface ReceivedSyslog {
  /** rsyslog's reading of the RFC 5424 header. */
  facility: number;
  severity: number;
  appName: string;
  msgId: string;
  procId: string;
  structuredData: string;
  /** The message as it came, PRI to the end of MSG. */
  raw: string;
  /** The MSG part after the byte order mark: the audit XML. */
  xml: string;
}

export interface Rsyslog {
  /** audit.repository for this server, e.g. udp://127.0.0.1:40123. */
  url: string;
  messages(): ReceivedSyslog[];
  stop(): Promise<void>;
}

const FIELD_SEPARATOR = '\u0001|';

/**
 * rsyslogd (Debian's rsyslog, with rsyslog-gnutls for TLS) as the Audit Record Repository: one
 * input on a free loopback port (UDP, plain TCP, or TLS that asks for and checks the client's
 * certificate), each message written to a file with rsyslog's own parse of its header.
 */
export async function startRsyslog(
  protocol: 'udp' | 'tcp' | 'tls',
  tls?: { caFile: string; certFile: string; keyFile: string },
  port?: number,
): Promise<Rsyslog> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-rsyslog-'));
  port ??= await freePort();
  const log = path.join(dir, 'audit.log');
  const input =
    protocol === 'udp'
      ? `module(load="imudp")\ninput(type="imudp" address="127.0.0.1" port="${port}")`
      : protocol === 'tcp'
        ? `module(load="imtcp")\ninput(type="imtcp" address="127.0.0.1" port="${port}")`
        : `module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="x509/certvalid")\ninput(type="imtcp" address="127.0.0.1" port="${port}")`;
  const tlsGlobals = tls
    ? ` DefaultNetstreamDriver="gtls" DefaultNetstreamDriverCAFile="${tls.caFile}" DefaultNetstreamDriverCertFile="${tls.certFile}" DefaultNetstreamDriverKeyFile="${tls.keyFile}"`
    : '';
  const fields = ['%syslogfacility%', '%syslogseverity%', '%app-name%', '%msgid%', '%procid%', '%structured-data%', '%rawmsg%'];
  fs.writeFileSync(
    path.join(dir, 'rsyslog.conf'),
    [
      `global(workDirectory="${dir}" maxMessageSize="64k"${tlsGlobals})`,
      input,
      `template(name="parsed" type="string" string="${fields.join(FIELD_SEPARATOR)}\\n")`,
      `*.* action(type="omfile" file="${log}" template="parsed")`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('rsyslogd', ['-n', '-f', path.join(dir, 'rsyslog.conf'), '-i', path.join(dir, 'rsyslogd.pid')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await waitFor('rsyslogd listening', () => (child.exitCode !== null || listening(protocol, port) ? true : undefined), 15_000).catch(() => undefined);
  if (child.exitCode !== null || !listening(protocol, port)) {
    child.kill('SIGKILL');
    throw new Error(`rsyslogd did not start: ${stderr}`);
  }
  return {
    url: `${protocol}://127.0.0.1:${port}`,
    messages: () =>
      fs.existsSync(log)
        ? fs
            .readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => {
              const [facility, severity, appName, msgId, procId, structuredData, raw] = line.split(FIELD_SEPARATOR);
              const bom = raw.indexOf('\ufeff');
              return { facility: Number(facility), severity: Number(severity), appName, msgId, procId, structuredData, raw, xml: bom >= 0 ? raw.slice(bom + 1) : '' };
            })
        : [],
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether a socket listens on the loopback port (/proc/net/{udp,tcp}: local address as hex). */
function listening(protocol: 'udp' | 'tcp' | 'tls', port: number): boolean {
  const table = fs.readFileSync(`/proc/net/${protocol === 'udp' ? 'udp' : 'tcp'}`, 'utf8');
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return table.split('\n').some((line) => line.trim().split(/\s+/)[1] === local);
}
