import express from 'express';
import * as fs from 'fs';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { startAuditTrail, stopAuditTrail } from '../../../src/audit/auditTrail';
import { tokenAuth } from '../../../src/http/auth';
import { HttpUsers, newPassword, userLine } from '../../../src/http/httpUsers';
import { statusPageRoutes } from '../../../src/http/statusPage';
import { auditSchemaErrors, eventOf } from '../../helpers/auditMessages';
import { waitFor } from '../../helpers/childProcess';
import { runTool, storeStatuses } from '../../helpers/dcmtkTools';
import { testUid, writeMgFixture } from '../../helpers/mgFixture';
import { startTestReceiver, type TestReceiver } from '../../helpers/receiverHarness';
import { startRsyslog, type Rsyslog } from '../../helpers/rsyslog';
import { makeSelfSignedCert } from '../../helpers/selfSignedCert';

jest.setTimeout(60000);

/**
 * What the receiver reports per association (a real receiver, storescu and echoscu as peers,
 * rsyslog over UDP as the repository): the instances kept, corrected copies, refused instances,
 * refused peers and failed TLS handshakes; and the HTTP API's image views and failed logins.
 */
describe('audit messages of the receiver', () => {
  let repository: Rsyslog;
  let node: TestReceiver;
  let dir: string;

  beforeAll(async () => {
    repository = await startRsyslog('udp');
    node = await startTestReceiver({ audit: { repository: repository.url }, receiver: { allowedCallingAes: ['MODALITY1'] } });
    startAuditTrail(node.config, 'mammocad receiver');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-audit-recv-'));
  });
  afterAll(async () => {
    await stopAuditTrail();
    await node?.stop();
    await repository?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Waits for `count` more messages than `before` and returns the new ones, each checked against the schema. */
  const newMessages = async (before: number, count: number): Promise<string[]> => {
    const all = await waitFor('audit messages', () => (repository.messages().length >= before + count ? repository.messages() : undefined), 10000);
    const fresh = all.slice(before).map((m) => m.xml);
    for (const xml of fresh) expect(auditSchemaErrors(xml)).toBe('');
    return fresh;
  };

  it('one association: the instances kept (Create), and those refused before their study was known (minor failure, with the reason)', async () => {
    const before = repository.messages().length;
    const studyUid = testUid();
    const good = writeMgFixture(dir, { studyUid, patientId: 'RCV-PAT-1' });
    const bad = writeMgFixture(dir, { omit: ['StudyInstanceUID'] });
    const run = await runTool('storescu', ['-v', '-aet', 'MODALITY1', '-aec', 'MAMMOCAD', '127.0.0.1', String(node.port), good.file, bad.file]);
    expect(storeStatuses(run.output)).toEqual(['Success', 'Error: CannotUnderstand']);
    const messages = await newMessages(before, 2);
    const kept = messages.find((x) => x.includes('EventOutcomeIndicator="0"'))!;
    expect(eventOf(kept)).toBe('110104 C');
    expect(kept).toContain(`ParticipantObjectID="${studyUid}"`);
    expect(kept).toContain('NumberOfInstances="1"');
    expect(kept).toContain('ParticipantObjectID="RCV-PAT-1"');
    const refused = messages.find((x) => x.includes('EventOutcomeIndicator="4"'))!;
    expect(eventOf(refused)).toBe('110104 C');
    expect(refused).toContain('<EventOutcomeDescription>1 instance(s) refused: missing Study Instance UID</EventOutcomeDescription>');
    expect(refused).not.toContain('<ParticipantObjectIdentification');
  });

  it('a corrected copy that replaces the stored instance is an Update, naming the corrected patient', async () => {
    const studyUid = testUid();
    const sopInstanceUid = testUid();
    const first = writeMgFixture(path.join(dir, 'first'), { studyUid, sopInstanceUid, patientId: 'WRONG-PAT' });
    const before = repository.messages().length;
    await runTool('storescu', ['-v', '-aet', 'MODALITY1', '-aec', 'MAMMOCAD', '127.0.0.1', String(node.port), first.file]);
    expect(eventOf((await newMessages(before, 1))[0])).toBe('110104 C');
    const corrected = writeMgFixture(path.join(dir, 'corrected'), { studyUid, sopInstanceUid, patientId: 'RIGHT-PAT' });
    const run = await runTool('storescu', ['-v', '-aet', 'MODALITY1', '-aec', 'MAMMOCAD', '127.0.0.1', String(node.port), corrected.file]);
    expect(storeStatuses(run.output)).toEqual(['Success']);
    const [update] = await newMessages(before + 1, 1);
    expect(eventOf(update)).toBe('110104 U');
    expect(update).toContain('ParticipantObjectID="RIGHT-PAT"');
  });

  it('a peer the allow list refuses raises a Node Authentication security alert naming it', async () => {
    const before = repository.messages().length;
    const run = await runTool('echoscu', ['-aet', 'INTRUDER', '-aec', 'MAMMOCAD', '127.0.0.1', String(node.port)]);
    expect(run.output).toMatch(/Association Rejected/);
    const [alert] = await newMessages(before, 1);
    expect(eventOf(alert)).toBe('110113 E');
    expect(alert).toContain('<EventTypeCode csd-code="110126" codeSystemName="DCM" originalText="Node Authentication"/>');
    expect(alert).toContain('UserID="INTRUDER"');
    expect(alert).toContain('<EventOutcomeDescription>association rejected: calling AE title not on the allow list</EventOutcomeDescription>');
  });

  it('plain DICOM to the TLS port (a failed handshake) raises a Node Authentication security alert', async () => {
    const cert = makeSelfSignedCert(dir, 'node');
    const tlsNode = await startTestReceiver({ tls: { enabled: true, certFile: cert.certFile, keyFile: cert.keyFile, caFile: cert.certFile } });
    try {
      const before = repository.messages().length;
      const run = await runTool('echoscu', ['-aec', 'MAMMOCAD', '127.0.0.1', String(tlsNode.port)]);
      expect(run.output).not.toMatch(/Echo Response/);
      const [alert] = await newMessages(before, 1);
      expect(eventOf(alert)).toBe('110113 E');
      expect(alert).toContain('NetworkAccessPointID="127.0.0.1"');
      expect(alert).toMatch(/<EventOutcomeDescription>TLS handshake failed: [^<]+<\/EventOutcomeDescription>/);
    } finally {
      await tlsNode.stop();
    }
  });

  it('an image viewed on the status page (its thumbnail) is DICOM Instances Accessed (Read), naming the viewer and the patient', async () => {
    const image = writeMgFixture(dir, { patientId: 'VIEW-PAT-3' });
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const password = newPassword();
    const usersFile = path.join(dir, 'http-users');
    fs.writeFileSync(usersFile, `${await userLine('dr.jones', password)}\n`);
    const app = express();
    app.use(tokenAuth('', new HttpUsers(usersFile)));
    app.use(
      statusPageRoutes({
        recentStudies: async () => [],
        // The page's renderer stands aside: what is audited is the view and the file behind it.
        renderThumbnail: async () => png,
        imageFile: async (studyUid, sopInstanceUid) => (studyUid === image.studyUid && sopInstanceUid === image.sopInstanceUid ? image.file : undefined),
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const before = repository.messages().length;
      const path = `/studies/${image.studyUid}/${image.sopInstanceUid}/thumbnail.png`;
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, { headers: { authorization: basic('dr.jones', password) } });
      expect(res.status).toBe(200);
      const [viewed] = await newMessages(before, 1);
      expect(eventOf(viewed)).toBe('110103 R');
      expect(viewed).toContain(`<EventOutcomeDescription>viewed: ${path}</EventOutcomeDescription>`);
      // The named user who logged in (http.usersFile), from that address.
      expect(viewed).toContain('<ActiveParticipant UserID="dr.jones" UserIsRequestor="true" NetworkAccessPointID="127.0.0.1" NetworkAccessPointTypeCode="2"/>');
      expect(viewed).toContain('<SOPClass UID="1.2.840.10008.5.1.4.1.1.1.2" NumberOfInstances="1"/>');
      expect(viewed).toContain('ParticipantObjectID="VIEW-PAT-3"');
    } finally {
      server.close();
    }
  });

  it('the HTTP API: a wrong token is a failed login; a request without one (a browser asking for Basic auth) is not', async () => {
    const app = express();
    app.use(tokenAuth('s3cret'));
    app.get('/studies', (_req, res) => res.json([]));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/studies`;
    try {
      const before = repository.messages().length;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer guess' } })).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
      const [login] = await newMessages(before, 1);
      expect(eventOf(login)).toBe('110114 E');
      expect(login).toContain('<EventOutcomeDescription>no valid bearer token for /studies</EventOutcomeDescription>');
      // A browser's Basic login with a name: the name claimed is the participant.
      expect((await fetch(url, { headers: { authorization: basic('mallory', 'guess') } })).status).toBe(401);
      const [named] = await newMessages(before + 1, 1);
      expect(named).toContain('<EventOutcomeDescription>login as mallory refused for /studies</EventOutcomeDescription>');
      expect(named).toContain('<ActiveParticipant UserID="mallory" UserIsRequestor="true" NetworkAccessPointID="127.0.0.1" NetworkAccessPointTypeCode="2"/>');
      await new Promise((r) => setTimeout(r, 300));
      expect(repository.messages().length).toBe(before + 2);
    } finally {
      server.close();
    }
  });
});

/** An HTTP Basic Authorization header. */
function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
