import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { AddressInfo } from 'net';
import { CAD_OBJECT_SOP_CLASSES } from '../../../src/export/storeScu';
import { StoreNetworkError, StoreRefusedError, StoreTimeoutError } from '../../../src/export/storeErrors';
import { stowFiles, stowFilesOrThrow } from '../../../src/export/stowRs';
import { freePort } from '../../../src/redis/freePort';
import { writeTestInstance, TestInstance } from '../../helpers/dicomFiles';
import { DICOMWEB_PLUGIN, Orthanc, startOrthanc } from '../../helpers/orthanc';
import { runCli } from '../../helpers/runCli';
import { makeSelfSignedCert } from '../../helpers/selfSignedCert';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-stow-'));
const studyUid = '2.25.4242';
const objects: TestInstance[] = CAD_OBJECT_SOP_CLASSES.map((c, i) => writeTestInstance(dir, c, { studyUid, modality: ['SR', 'SR', 'PR', 'KO'][i] }));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const describeIfPlugin = fs.existsSync(DICOMWEB_PLUGIN) ? describe : describe.skip;

describeIfPlugin('STOW-RS export into a DICOMweb PACS (Orthanc with its DICOMweb plugin)', () => {
  let orthanc: Orthanc;
  beforeAll(async () => {
    orthanc = await startOrthanc({ aeTitle: 'PACS', dicomWeb: true });
  });
  afterAll(() => orthanc?.stop());

  it('stores our objects in one request, indexed under the study, and a re-send replaces them', async () => {
    const files = objects.map((o) => o.file);
    const results = await stowFilesOrThrow(orthanc.dicomWebUrl, files, { timeoutMs: 20000 });
    expect(results.map((r) => [r.sopInstanceUid, r.outcome])).toEqual(objects.map((o) => [o.sopInstanceUid, 'delivered']));
    expect(results[0].detail).toBe('HTTP 200 OK');
    await stowFilesOrThrow(orthanc.dicomWebUrl, files, { timeoutMs: 20000 });
    const found = await orthanc.rest<Array<{ MainDicomTags: { SOPInstanceUID: string } }>>('POST', '/tools/find', {
      Level: 'Instance',
      Query: { StudyInstanceUID: studyUid },
      Expand: true,
    });
    expect(found.map((f) => f.MainDicomTags.SOPInstanceUID).sort()).toEqual(objects.map((o) => o.sopInstanceUid).sort());
  });
});

/** A DICOMweb server that answers every STOW-RS request with what `answer` returns (after checking the request). */
async function stowPeer(
  answer: (req: http.IncomingMessage, body: Buffer) => { status: number; json?: unknown; html?: string } | undefined,
) {
  const seen: Array<{ headers: http.IncomingHttpHeaders; parts: number; url: string }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const boundary = /boundary=([^;]+)/.exec(String(req.headers['content-type']))?.[1] ?? '';
      seen.push({ headers: req.headers, parts: body.toString('latin1').split(`--${boundary}\r\n`).length - 1, url: req.url ?? '' });
      const a = answer(req, body);
      if (!a) return; // never answers
      res.writeHead(a.status, { 'Content-Type': a.html === undefined ? 'application/dicom+json' : 'text/html' });
      res.end(a.html ?? (a.json === undefined ? '' : JSON.stringify(a.json)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dicom-web`, seen, close: () => new Promise((r) => server.close(r)) };
}

const sopItem = (uid: string, extra: Record<string, unknown> = {}) => ({
  '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.88.50'] },
  '00081155': { vr: 'UI', Value: [uid] },
  ...extra,
});

describe('STOW-RS answers, as PS3.18 10.5.3 defines them', () => {
  it('posts one multipart/related request of application/dicom parts to <base>/studies, with the Authorization header', async () => {
    const peer = await stowPeer(() => ({ status: 200, json: { '00081199': { vr: 'SQ', Value: objects.slice(0, 2).map((o) => sopItem(o.sopInstanceUid)) } } }));
    try {
      const results = await stowFilesOrThrow(peer.url, [objects[0].file, objects[1].file], { timeoutMs: 5000, authorization: 'Bearer t0ken' });
      expect(results.map((r) => r.outcome)).toEqual(['delivered', 'delivered']);
      expect(peer.seen).toHaveLength(1);
      expect(peer.seen[0].url).toBe('/dicom-web/studies');
      expect(peer.seen[0].parts).toBe(2);
      expect(peer.seen[0].headers['content-type']).toMatch(/^multipart\/related; type="application\/dicom"; boundary=/);
      expect(peer.seen[0].headers.authorization).toBe('Bearer t0ken');
    } finally {
      await peer.close();
    }
  });

  it('202 with a Failed SOP Sequence: refused, with the failure reason; 202 with a Warning Reason: delivered with the warning', async () => {
    const failing = await stowPeer(() => ({
      status: 202,
      json: { '00081198': { vr: 'SQ', Value: [sopItem(objects[0].sopInstanceUid, { '00081197': { vr: 'US', Value: [0xa700] } })] } },
    }));
    const warning = await stowPeer(() => ({
      status: 202,
      json: { '00081199': { vr: 'SQ', Value: [sopItem(objects[0].sopInstanceUid, { '00081196': { vr: 'US', Value: [0xb000] } })] } },
    }));
    try {
      const err = await stowFilesOrThrow(failing.url, [objects[0].file], { timeoutMs: 5000 }).catch((e) => e);
      expect(err).toBeInstanceOf(StoreRefusedError);
      expect(err.status).toBe(0xa700);
      expect(err.message).toBe(`${failing.url} refused ${objects[0].sopInstanceUid}: HTTP 202 Accepted, 0xA700 Refused: Out of Resources`);
      const [result] = await stowFilesOrThrow(warning.url, [objects[0].file], { timeoutMs: 5000 });
      expect(result).toMatchObject({ outcome: 'warning', status: 0xb000, detail: 'HTTP 202 Accepted, 0xB000 Warning: Coercion of Data Elements' });
    } finally {
      await failing.close();
      await warning.close();
    }
  });

  it('a 200 that does not name the object as stored (a sign-in page in front of the service, a response for other objects) is not a delivery', async () => {
    const signIn = await stowPeer(() => ({ status: 200, html: '<html><body>Sign in to continue</body></html>' }));
    const otherObject = await stowPeer(() => ({ status: 200, json: { '00081199': { vr: 'SQ', Value: [sopItem('2.25.1')] } } }));
    try {
      const err = await stowFilesOrThrow(signIn.url, [objects[0].file], { timeoutMs: 5000 }).catch((e) => e);
      expect(err).toBeInstanceOf(StoreRefusedError);
      expect(err.message).toBe(
        `${signIn.url} refused ${objects[0].sopInstanceUid}: HTTP 200 OK, but the answer is not a DICOM JSON store response (text/html): storage not confirmed`,
      );
      const [result] = await stowFiles(otherObject.url, [objects[0].file], { timeoutMs: 5000 });
      expect(result).toMatchObject({ outcome: 'failed', detail: 'HTTP 200 OK, but the response does not name the instance as stored: storage not confirmed' });
    } finally {
      await signIn.close();
      await otherObject.close();
    }
  });

  it('409, 401, a server error, no answer and a closed port each throw an error that says which', async () => {
    const conflict = await stowPeer(() => ({ status: 409 }));
    const unauthorised = await stowPeer(() => ({ status: 401 }));
    const broken = await stowPeer(() => ({ status: 503, json: 'maintenance' }));
    const silent = await stowPeer(() => undefined);
    const closedPort = await freePort();
    const send = (url: string, timeoutMs = 5000) => stowFilesOrThrow(url, [objects[0].file], { timeoutMs }).catch((e) => e);
    try {
      expect((await send(conflict.url)).message).toBe(`${conflict.url} refused ${objects[0].sopInstanceUid}: HTTP 409 Conflict: not stored`);
      expect((await send(unauthorised.url)).message).toBe(`${unauthorised.url}: HTTP 401 Unauthorized: not authorised (check the destination's authorizationEnv)`);
      expect((await send(broken.url)).message).toBe(`${broken.url}: HTTP 503 Service Unavailable: "maintenance"`);
      const started = Date.now();
      const timeout = await send(silent.url, 500);
      expect(timeout).toBeInstanceOf(StoreTimeoutError);
      expect(Date.now() - started).toBeLessThan(5000);
      const refused = await send(`http://127.0.0.1:${closedPort}/dicom-web`);
      expect(refused).toBeInstanceOf(StoreNetworkError);
      expect(refused.message).toBe(`http://127.0.0.1:${closedPort}/dicom-web: ECONNREFUSED`);
    } finally {
      for (const peer of [conflict, unauthorised, broken, silent]) await peer.close();
    }
  });
});

describe('STOW-RS over https', () => {
  it("a PACS certificate from the hospital's own CA: refused with the reason, accepted once NODE_EXTRA_CA_CERTS names it", async () => {
    const cert = makeSelfSignedCert(dir, 'vna');
    const server = https.createServer({ key: fs.readFileSync(cert.keyFile), cert: fs.readFileSync(cert.certFile) }, (req, res) => {
      req.resume();
      const stored = { '00081199': { vr: 'SQ', Value: [sopItem(objects[0].sopInstanceUid)] } };
      req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/dicom+json' }).end(JSON.stringify(stored)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/dicom-web`;
    try {
      const untrusted = await stowFilesOrThrow(url, [objects[0].file], { timeoutMs: 5000 }).catch((e) => e);
      expect(untrusted).toBeInstanceOf(StoreNetworkError);
      expect(untrusted.message).toBe(
        `${url}: DEPTH_ZERO_SELF_SIGNED_CERT: the server's certificate is not trusted (a hospital's own CA: NODE_EXTRA_CA_CERTS=<its PEM file> in the worker's environment)`,
      );
      // NODE_EXTRA_CA_CERTS is read at process start: a new process, as a worker would be.
      const trusted = await runCli(['send', objects[0].file, '--to', url], { NODE_EXTRA_CA_CERTS: cert.certFile });
      expect(trusted.stdout).toContain(`1 of 1 delivered to ${url}`);
      expect(trusted.code).toBe(0);
    } finally {
      server.close();
    }
  });
});
