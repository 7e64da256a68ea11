/**
 * One audit message as a syslog message (RFC 5424), as IHE ITI-20 "Record Audit Event" and PS3.15
 * A.6/A.7 ask: PRI 85 (facility 10, security/authorization; severity 5, notice), MSGID IHE+RFC-3881,
 * no structured data, and the XML as MSG in UTF-8 behind a byte order mark.
 */
const PRI = '<85>';
const MSGID = 'IHE+RFC-3881';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** HOSTNAME, APP-NAME and PROCID are printable US-ASCII without spaces (RFC 5424 6.2). */
function headerField(value: string, maxLength: number): string {
  const printable = value.replace(/[^\x21-\x7e]/g, '_').slice(0, maxLength);
  return printable || '-';
}

export function syslogMessage(xml: string, origin: { hostname: string; appName: string; procId: string }, at: Date): Buffer {
  const header = [
    `${PRI}1`,
    at.toISOString(),
    headerField(origin.hostname, 255),
    headerField(origin.appName, 48),
    headerField(origin.procId, 128),
    MSGID,
    '-',
  ].join(' ');
  return Buffer.concat([Buffer.from(`${header} `, 'ascii'), BOM, Buffer.from(xml, 'utf8')]);
}

/** RFC 5425 4.3 (and RFC 6587's octet counting for plain TCP): MSG-LEN SP SYSLOG-MSG. */
export function octetCountingFrame(message: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${message.length} `, 'ascii'), message]);
}
