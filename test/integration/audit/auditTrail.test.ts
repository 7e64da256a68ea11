import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startChildReceiverNode, startChildWorker } from '../../helpers/childNode';
import { ChildPipeline, startChildPipeline } from '../../helpers/childPipeline';
import { waitFor } from '../../helpers/childProcess';
import { auditSchemaErrors, eventOf } from '../../helpers/auditMessages';
import { testUid, writeMgFixture } from '../../helpers/mgFixture';
import { startRsyslog, type Rsyslog } from '../../helpers/rsyslog';
import { runCli } from '../../helpers/runCli';
import { makeSelfSignedCert } from '../../helpers/selfSignedCert';

jest.setTimeout(120000);

const MG = '1.2.840.10008.5.1.4.1.1.1.2';

/**
 * The audit trail of a running node (IHE ATNA): receiver and worker processes report to rsyslog as
 * the Audit Record Repository over TLS with mutual authentication (RFC 5425), as a hospital runs it.
 */
describe('audit trail of receiver and worker processes', () => {
  let p: ChildPipeline;
  let repository: Rsyslog;
  let certDir: string;
  const studyUid = testUid();

  beforeAll(async () => {
    certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-audit-certs-'));
    const repositoryCert = makeSelfSignedCert(certDir, 'repository');
    const nodeCert = makeSelfSignedCert(certDir, 'node');
    // Each side trusts the other's certificate; the repository requires ours.
    repository = await startRsyslog('tls', { caFile: nodeCert.certFile, ...repositoryCert });
    const configFile = path.join(certDir, 'config.json');
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        audit: { repository: repository.url, enterpriseSiteId: 'Test Breast Centre' },
        tls: { certFile: nodeCert.certFile, keyFile: nodeCert.keyFile, caFile: repositoryCert.certFile },
      }),
    );
    p = await startChildPipeline('audit', { MAMMOCAD_CONFIG: configFile });
    p.nodes.push(await startChildReceiverNode(p.env), await startChildWorker(p.env));
  });
  afterAll(async () => {
    await p?.stop();
    await repository?.stop();
    fs.rmSync(certDir, { recursive: true, force: true });
  });

  it('reports start, the study received, each object sent, the study pruned and stop, each message valid and naming the patient', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-audit-views-'));
    const views = (['L', 'R'] as const).map((laterality) => writeMgFixture(dir, { studyUid, laterality, patientId: 'AUDIT-PAT-7' }));
    await p.send(views.map((v) => v.file));
    await waitFor('study exported', p.phaseAfterBuilds(studyUid, 'exported', 1), 60000, 200);
    const prune = await runCli(['prune', '--older-than-days', '0'], p.env);
    expect(prune.stdout).toContain(`pruned ${studyUid}`);
    for (const node of p.nodes) await node.kill('SIGTERM');
    const expected = ['110100 E', '110100 E', '110104 C', '110104 R', '110104 R', '110104 R', '110105 D', '110100 E', '110100 E'];
    const messages = await waitFor(
      'audit messages at the repository',
      () => (repository.messages().length >= expected.length ? repository.messages() : undefined),
      20000,
      200,
    );
    fs.rmSync(dir, { recursive: true, force: true });

    for (const m of messages) {
      expect({ facility: m.facility, severity: m.severity, appName: m.appName, msgId: m.msgId }).toEqual({ facility: 10, severity: 5, appName: 'mammocad', msgId: 'IHE+RFC-3881' });
      expect(auditSchemaErrors(m.xml)).toBe('');
      expect(m.xml).toContain('<AuditSourceIdentification AuditEnterpriseSiteID="Test Breast Centre" AuditSourceID="MAMMOCAD">');
    }
    const xmls = messages.map((m) => m.xml);
    expect(xmls.map(eventOf).sort()).toEqual([...expected].sort());

    const activity = (type: string) => xmls.filter((x) => x.includes(`<EventTypeCode csd-code="${type}"`)).map((x) => /UserName="([^"]+)"/.exec(x)?.[1]).sort();
    expect(activity('110120')).toEqual(['mammocad receiver', 'mammocad worker']);
    expect(activity('110121')).toEqual(['mammocad receiver', 'mammocad worker']);

    const received = xmls.find((x) => eventOf(x) === '110104 C')!;
    expect(received).toMatch(/<ActiveParticipant UserID="STORESCU" AlternativeUserID="AETITLES=STORESCU" UserIsRequestor="true" NetworkAccessPointID="127.0.0.1"/);
    expect(received).toContain(`ParticipantObjectID="${studyUid}"`);
    expect(received).toContain(`<SOPClass UID="${MG}" NumberOfInstances="2"/>`);
    expect(received).toContain('ParticipantObjectID="AUDIT-PAT-7"');
    expect(received).toContain('<ParticipantObjectName>Synthetic^Phantom</ParticipantObjectName>');

    // One per object: the Mammography CAD SR, the TID 1500 SR and the presentation state, each to the PACS.
    const sent = xmls.filter((x) => eventOf(x) === '110104 R');
    expect(sent.map((x) => /<SOPClass UID="([\d.]+)" NumberOfInstances="1"\/>/.exec(x)?.[1]).sort()).toEqual([
      '1.2.840.10008.5.1.4.1.1.11.1',
      '1.2.840.10008.5.1.4.1.1.88.33',
      '1.2.840.10008.5.1.4.1.1.88.50',
    ]);
    for (const x of sent) {
      expect(x).toMatch(/<ActiveParticipant UserID="PACS" AlternativeUserID="AETITLES=PACS" UserIsRequestor="false" NetworkAccessPointID="127.0.0.1"/);
      expect(x).toContain('ParticipantObjectID="AUDIT-PAT-7"');
    }

    const pruned = xmls.find((x) => eventOf(x) === '110105 D')!;
    expect(pruned).toContain(`<SOPClass UID="${MG}" NumberOfInstances="2"/>`);
    expect(pruned).toContain('ParticipantObjectID="AUDIT-PAT-7"');
    expect(pruned).toContain('<EventOutcomeDescription>retention: no activity for 0 day(s)</EventOutcomeDescription>');

    // The patient goes to the repository only, never to the logs.
    for (const node of p.nodes) expect(node.log()).not.toContain('AUDIT-PAT-7');
    expect(prune.stderr).not.toContain('AUDIT-PAT-7');
  });
});
