/**
 * The DICOM Audit Message (PS3.15 A.5.1, the RFC 3881 schema as DICOM extends it) as data, and its
 * XML. Element order follows the schema: EventIdentification, ActiveParticipant+,
 * AuditSourceIdentification, ParticipantObjectIdentification*; within a participant object the
 * ID type code, name, details, then the DICOM extensions (Accession, SOPClass).
 */

/** A coded value as the schema writes it: csd-code, codeSystemName, originalText (the code meaning). */
export interface AuditCode {
  code: string;
  scheme: string;
  meaning: string;
}

/** EventOutcomeIndicator: 0 success, 4 minor failure, 8 serious failure, 12 major failure. */
export type AuditOutcome = 0 | 4 | 8 | 12;

export interface ActiveParticipant {
  userId: string;
  alternativeUserId?: string;
  userName?: string;
  userIsRequestor: boolean;
  /** A host name (type 1) or an IP address (type 2). */
  networkAccessPoint?: { id: string; type: 1 | 2 };
  roles: AuditCode[];
}

export interface ParticipantObject {
  id: string;
  /** 1 person, 2 system object. */
  typeCode: 1 | 2;
  /** 1 patient, 3 report, 4 resource... (RFC 3881 5.5.2). */
  typeCodeRole: number;
  /** 1 origination, 6 access/use, 14 logical deletion... (RFC 3881 5.5.3). */
  dataLifeCycle?: number;
  idTypeCode: AuditCode;
  name?: string;
  /** ParticipantObjectDetail type/value pairs; values are base64-encoded in the XML. */
  details?: { type: string; value: string }[];
  description?: string;
  sopClasses?: { uid: string; instances: number }[];
  accessionNumbers?: string[];
}

export interface AuditMessage {
  event: {
    id: AuditCode;
    /** C create, R read, U update, D delete, E execute. */
    action: 'C' | 'R' | 'U' | 'D' | 'E';
    dateTime: Date;
    outcome: AuditOutcome;
    outcomeDescription?: string;
    types?: AuditCode[];
  };
  participants: ActiveParticipant[];
  source: { id: string; enterpriseSiteId?: string; typeCode: AuditCode };
  objects: ParticipantObject[];
}

/** XML attribute and text escaping; control characters other than tab, CR and LF are not allowed in XML 1.0. */
function escapeXml(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function attributes(values: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

function codeElement(name: string, c: AuditCode): string {
  return `<${name}${attributes({ 'csd-code': c.code, codeSystemName: c.scheme, originalText: c.meaning })}/>`;
}

function element(name: string, attrs: string, children: string[]): string {
  return children.length > 0 ? `<${name}${attrs}>${children.join('')}</${name}>` : `<${name}${attrs}/>`;
}

export function auditMessageXml(m: AuditMessage): string {
  const event = element(
    'EventIdentification',
    attributes({
      EventActionCode: m.event.action,
      EventDateTime: m.event.dateTime.toISOString(),
      EventOutcomeIndicator: m.event.outcome,
    }),
    [
      codeElement('EventID', m.event.id),
      ...(m.event.types ?? []).map((t) => codeElement('EventTypeCode', t)),
      ...(m.event.outcomeDescription ? [`<EventOutcomeDescription>${escapeXml(m.event.outcomeDescription)}</EventOutcomeDescription>`] : []),
    ],
  );
  const participants = m.participants.map((p) =>
    element(
      'ActiveParticipant',
      attributes({
        UserID: p.userId,
        AlternativeUserID: p.alternativeUserId,
        UserName: p.userName,
        UserIsRequestor: p.userIsRequestor,
        NetworkAccessPointID: p.networkAccessPoint?.id,
        NetworkAccessPointTypeCode: p.networkAccessPoint?.type,
      }),
      p.roles.map((r) => codeElement('RoleIDCode', r)),
    ),
  );
  const source = element(
    'AuditSourceIdentification',
    attributes({ AuditEnterpriseSiteID: m.source.enterpriseSiteId, AuditSourceID: m.source.id }),
    [codeElement('AuditSourceTypeCode', m.source.typeCode)],
  );
  const objects = m.objects.map((o) =>
    element(
      'ParticipantObjectIdentification',
      attributes({
        ParticipantObjectID: o.id,
        ParticipantObjectTypeCode: o.typeCode,
        ParticipantObjectTypeCodeRole: o.typeCodeRole,
        ParticipantObjectDataLifeCycle: o.dataLifeCycle,
      }),
      [
        codeElement('ParticipantObjectIDTypeCode', o.idTypeCode),
        ...(o.name ? [`<ParticipantObjectName>${escapeXml(o.name)}</ParticipantObjectName>`] : []),
        ...(o.details ?? []).map((d) => `<ParticipantObjectDetail${attributes({ type: d.type, value: Buffer.from(d.value, 'utf8').toString('base64') })}/>`),
        ...(o.description ? [`<ParticipantObjectDescription>${escapeXml(o.description)}</ParticipantObjectDescription>`] : []),
        ...(o.accessionNumbers ?? []).map((a) => `<Accession${attributes({ Number: a })}/>`),
        ...(o.sopClasses ?? []).map((s) => `<SOPClass${attributes({ UID: s.uid, NumberOfInstances: s.instances })}/>`),
      ],
    ),
  );
  return `<?xml version="1.0" encoding="UTF-8"?><AuditMessage>${[event, ...participants, source, ...objects].join('')}</AuditMessage>`;
}
