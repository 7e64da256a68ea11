import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import { freePort } from '../../../src/redis/freePort';
import { DICOMWEB_PLUGIN, Orthanc, startOrthanc } from '../../helpers/orthanc';
import { startTestReceiver, TestReceiver } from '../../helpers/receiverHarness';
import { runCli } from '../../helpers/runCli';
import { startStoreScp, StoreScp } from '../../helpers/storescp';

jest.setTimeout(60000);

/** `mammocad check-destinations` against real peers: storescp, a DICOM node that refuses our SR classes, Orthanc's DICOMweb. */
describe('mammocad check-destinations', () => {
  let scp: StoreScp;
  let picky: TestReceiver;
  let orthanc: Orthanc | undefined;
  let unauthorised: http.Server;
  let signIn: http.Server;
  beforeAll(async () => {
    scp = await startStoreScp({ aeTitle: 'PACS' });
    // A DICOM node that takes the GSPS but neither SR class (our own receiver, configured so).
    picky = await startTestReceiver({ aeTitle: 'PICKY', receiver: { acknowledgedSopClasses: ['1.2.840.10008.5.1.4.1.1.11.1'] } });
    if (fs.existsSync(DICOMWEB_PLUGIN)) orthanc = await startOrthanc({ dicomWeb: true });
    unauthorised = http.createServer((_req, res) => res.writeHead(401).end());
    await new Promise<void>((r) => unauthorised.listen(0, '127.0.0.1', r));
    // A single sign-on gateway in front of the service: 200 with its login page.
    signIn = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>Sign in</html>'));
    await new Promise<void>((r) => signIn.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await scp?.stop();
    await picky?.stop();
    await orthanc?.stop();
    unauthorised?.close();
    signIn?.close();
  });

  it('says for each destination what it accepts, and exits 1 when one cannot take what it is sent', async () => {
    const closed = await freePort();
    const noAuth = `http://127.0.0.1:${(unauthorised.address() as AddressInfo).port}/dicom-web`;
    const gateway = `http://127.0.0.1:${(signIn.address() as AddressInfo).port}/dicom-web`;
    const destinations = [scp.destination, `PICKY@127.0.0.1:${picky.port}`, `GONE@127.0.0.1:${closed}`, noAuth, gateway, ...(orthanc ? [orthanc.dicomWebUrl] : [])];
    const res = await runCli(['check-destinations'], { MAMMOCAD_DESTINATIONS: destinations.join(','), MAMMOCAD_EXPORT_TIMEOUT_SECONDS: '5' });
    expect(res.code).toBe(1);
    const blocks = res.stdout.split(/\n(?=OK|FAIL)/);
    expect(blocks[0]).toBe(
      [
        `OK   ${scp.destination}`,
        '     association accepted',
        '     C-ECHO: 0x0000 Success',
        '     Mammography CAD SR: accepted',
        '     Comprehensive SR: accepted',
        '     Grayscale Softcopy Presentation State: accepted',
        '     Key Object Selection (our rejection notes): accepted (needed only to withdraw objects after rejection notes)',
      ].join('\n'),
    );
    expect(blocks[1]).toContain(`FAIL PICKY@127.0.0.1:${picky.port}`);
    expect(blocks[1]).toContain('Mammography CAD SR: NOT accepted');
    expect(blocks[1]).toContain('Grayscale Softcopy Presentation State: accepted');
    expect(blocks[2]).toMatch(new RegExp(`^FAIL GONE@127\\.0\\.0\\.1:${closed}\\n .*ECONNREFUSED`));
    expect(blocks[3]).toBe(`FAIL ${noAuth}\n     QIDO-RS GET /studies?limit=1: HTTP 401 Unauthorized: not authorised (check authorizationEnv)`);
    expect(blocks[4]).toBe(
      `FAIL ${gateway}\n     QIDO-RS GET /studies?limit=1: HTTP 200 OK with text/html: not a DICOMweb answer (a sign-in page or proxy in front of the service?)`,
    );
    if (orthanc) expect(blocks[5]).toBe(`OK   ${orthanc.dicomWebUrl}\n     QIDO-RS GET /studies?limit=1: HTTP 200 OK: reachable and authorised\n`);
  });
});
