import {
  applicationActivity,
  instancesDeleted,
  instancesReceived,
  instancesSent,
  loginFailed,
  nodeAuthenticationFailed,
  type AuditSelf,
  type AuditedStudy,
} from '../../../src/audit/auditEvents';
import { auditMessageXml, type AuditMessage } from '../../../src/audit/auditMessage';
import { parseAuditRepository } from '../../../src/audit/auditRepository';
import { octetCountingFrame, syslogMessage } from '../../../src/audit/syslogMessage';
import { auditSchemaErrors } from '../../helpers/auditMessages';

const self: AuditSelf = { aeTitle: 'MAMMOCAD', sourceId: 'MAMMOCAD', enterpriseSiteId: 'Breast Centre', hostname: 'cad1', processName: 'mammocad receiver', pid: 4242 };
const study: AuditedStudy = {
  studyUid: '1.2.3.4',
  sopClasses: [{ uid: '1.2.840.10008.5.1.4.1.1.1.2', instances: 4 }],
  accessionNumber: 'ACC-17',
  patient: { id: 'P-001', issuer: 'HOSP', name: 'Müller^Anna' },
};
const at = new Date('2026-12-07T10:00:00Z');

/** xmllint's complaint about the message, '' when it is valid. */
const schemaErrors = (m: AuditMessage): string => auditSchemaErrors(auditMessageXml(m));

describe('audit messages (DICOM PS3.15 A.5)', () => {
  const all: Array<[string, AuditMessage]> = [
    ['application start', applicationActivity(self, 'start', 'mammocad', at)],
    ['instances received', instancesReceived(self, { aeTitle: 'MODALITY1', address: '::ffff:10.0.0.7' }, study, { action: 'C', outcome: 0 }, at)],
    ['instances refused before the study was known', instancesReceived(self, { aeTitle: 'MODALITY1', address: '10.0.0.7' }, undefined, { action: 'C', outcome: 4, description: '1 instance(s) refused: missing Study Instance UID' }, at)],
    ['instances sent by STOW-RS', instancesSent(self, { url: 'https://vna.example:8443/dicom-web' }, study, { outcome: 0 }, at)],
    ['study deleted', instancesDeleted(self, 'study', study, 'retention: no activity for 30 day(s)', at)],
    ['instances deleted', instancesDeleted(self, 'instances', study, 'rejection note: Rejected for Patient Safety Reasons', at)],
    ['node authentication failed', nodeAuthenticationFailed(self, { aeTitle: 'INTRUDER', address: '10.9.9.9' }, 'association rejected: calling AE title not on the allow list', at)],
    ['login failed', loginFailed(self, { address: '10.1.1.1', path: '/studies' }, at)],
  ];
  it.each(all)('%s: valid against the schema', (_name, m) => {
    expect(schemaErrors(m)).toBe('');
  });

  it('a received study: sender as requestor and source, the node as destination, study and patient as participant objects', () => {
    const xml = auditMessageXml(all[1][1]);
    expect(xml).toContain('<EventIdentification EventActionCode="C" EventDateTime="2026-12-07T10:00:00.000Z" EventOutcomeIndicator="0">');
    expect(xml).toContain('<EventID csd-code="110104" codeSystemName="DCM" originalText="DICOM Instances Transferred"/>');
    expect(xml).toContain(
      '<ActiveParticipant UserID="MODALITY1" AlternativeUserID="AETITLES=MODALITY1" UserIsRequestor="true" NetworkAccessPointID="10.0.0.7" NetworkAccessPointTypeCode="2"><RoleIDCode csd-code="110153"',
    );
    expect(xml).toContain('<ActiveParticipant UserID="4242" AlternativeUserID="AETITLES=MAMMOCAD" UserName="mammocad receiver" UserIsRequestor="false" NetworkAccessPointID="cad1" NetworkAccessPointTypeCode="1"><RoleIDCode csd-code="110152"');
    expect(xml).toContain('<AuditSourceIdentification AuditEnterpriseSiteID="Breast Centre" AuditSourceID="MAMMOCAD">');
    expect(xml).toContain(
      '<ParticipantObjectIdentification ParticipantObjectID="1.2.3.4" ParticipantObjectTypeCode="2" ParticipantObjectTypeCodeRole="3" ParticipantObjectDataLifeCycle="1"><ParticipantObjectIDTypeCode csd-code="110180" codeSystemName="DCM" originalText="Study Instance UID"/><Accession Number="ACC-17"/><SOPClass UID="1.2.840.10008.5.1.4.1.1.1.2" NumberOfInstances="4"/></ParticipantObjectIdentification>',
    );
    expect(xml).toContain(
      '<ParticipantObjectIdentification ParticipantObjectID="P-001^^^HOSP" ParticipantObjectTypeCode="1" ParticipantObjectTypeCodeRole="1"><ParticipantObjectIDTypeCode csd-code="2" codeSystemName="RFC-3881" originalText="Patient Number"/><ParticipantObjectName>Müller^Anna</ParticipantObjectName></ParticipantObjectIdentification>',
    );
  });

  it('a sent object: the node as requestor and source, the destination by URL, action Read', () => {
    const xml = auditMessageXml(all[3][1]);
    expect(xml).toContain('EventActionCode="R"');
    expect(xml).toMatch(/<ActiveParticipant UserID="4242"[^>]*UserIsRequestor="true"[^>]*><RoleIDCode csd-code="110153"/);
    expect(xml).toContain('<ActiveParticipant UserID="https://vna.example:8443/dicom-web" UserIsRequestor="false" NetworkAccessPointID="vna.example" NetworkAccessPointTypeCode="1"><RoleIDCode csd-code="110152"');
  });

  it('deletions: Study Deleted for a whole study, Instances Accessed (Delete) for some instances, with the reason', () => {
    expect(auditMessageXml(all[4][1])).toMatch(/EventActionCode="D".*csd-code="110105".*<EventOutcomeDescription>retention: no activity for 30 day\(s\)</);
    expect(auditMessageXml(all[5][1])).toMatch(/EventActionCode="D".*csd-code="110103" codeSystemName="DCM" originalText="DICOM Instances Accessed"/);
  });

  it('security alerts: Node Authentication with the refused peer as subject; a failed login with the client address', () => {
    const alert = auditMessageXml(all[6][1]);
    expect(alert).toMatch(/EventOutcomeIndicator="4"><EventID csd-code="110113"[^>]*\/><EventTypeCode csd-code="110126" codeSystemName="DCM" originalText="Node Authentication"\/>/);
    expect(alert).toContain('ParticipantObjectID="10.9.9.9" ParticipantObjectTypeCode="2" ParticipantObjectTypeCodeRole="13"');
    expect(auditMessageXml(all[7][1])).toMatch(/csd-code="110114".*csd-code="110122".*<EventOutcomeDescription>no valid bearer token for \/studies</);
  });

  it('escapes what a sender controls: markup, quotes and control characters in names cannot break the XML', () => {
    const hostile = instancesReceived(
      self,
      { aeTitle: 'A"<B>&', address: '10.0.0.1' },
      { ...study, patient: { id: 'X"/><Evil', name: 'O\'Brien<script>&\u0007' } },
      { action: 'C', outcome: 0 },
      at,
    );
    expect(schemaErrors(hostile)).toBe('');
    const xml = auditMessageXml(hostile);
    expect(xml).toContain('UserID="A&quot;&lt;B&gt;&amp;"');
    expect(xml).toContain("<ParticipantObjectName>O'Brien&lt;script&gt;&amp;\ufffd</ParticipantObjectName>");
  });
});

describe('syslog framing (RFC 5424, IHE ITI-20)', () => {
  it('PRI 85, version 1, MSGID IHE+RFC-3881, no structured data, then BOM and the XML in UTF-8', () => {
    const message = syslogMessage('<AuditMessage>é</AuditMessage>', { hostname: 'cad 1', appName: 'mammocad', procId: '42' }, at);
    const text = message.toString('utf8');
    expect(text).toBe('<85>1 2026-12-07T10:00:00.000Z cad_1 mammocad 42 IHE+RFC-3881 - \ufeff<AuditMessage>é</AuditMessage>');
    expect(octetCountingFrame(message).toString('utf8')).toBe(`${message.length} ${text}`);
  });

  it('repositories as udp://, tcp:// or tls:// with a port; anything else names the expected form', () => {
    expect(parseAuditRepository('tls://arr.hospital.org:6514')).toEqual({ protocol: 'tls', host: 'arr.hospital.org', port: 6514 });
    expect(parseAuditRepository('udp://[::1]:514')).toEqual({ protocol: 'udp', host: '::1', port: 514 });
    for (const bad of ['syslog://arr:514', 'udp://arr', 'tcp://arr:70000', 'arr:514'])
      expect(() => parseAuditRepository(bad)).toThrow('is not udp://host:port, tcp://host:port or tls://host:port');
  });
});
