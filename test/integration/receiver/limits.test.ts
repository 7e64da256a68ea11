import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTool, storeStatuses } from '../../helpers/dcmtkTools';
import { writeMgFixture } from '../../helpers/mgFixture';
import { associateRq, closedWithin, connectRaw } from '../../helpers/rawDicomPeer';
import { startTestReceiver, TestReceiver } from '../../helpers/receiverHarness';
import { associationsTotal } from '../../../src/metrics/metrics';

jest.setTimeout(60000);

const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT = '1.2.840.10008.1.2';

function echo(port: number) {
  return runTool('echoscu', ['-v', '-aec', 'MAMMOCAD', '127.0.0.1', String(port)]);
}

async function openAssociation(port: number) {
  const peer = await connectRaw(port);
  peer.socket.write(associateRq('HOLDER', 'MAMMOCAD', VERIFICATION, IMPLICIT));
  expect((await peer.nextData())[0]).toBe(0x02);
  return peer;
}

describe('receiver: load and resource limits', () => {
  let node: TestReceiver | undefined;
  afterEach(async () => {
    await node?.stop();
    node = undefined;
  });

  it('refuses associations over the limit transiently (local limit exceeded), and takes them again once one ends', async () => {
    node = await startTestReceiver({ receiver: { maxAssociations: 1 } });
    const holder = await openAssociation(node.port);
    const refused = await echo(node.port);
    expect(refused.output).toMatch(/Association Rejected/);
    expect(refused.output).toMatch(/Transient/i);
    expect(refused.output).toMatch(/Local Limit Exceeded/i);
    holder.socket.write(Buffer.from([0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0])); // A-RELEASE-RQ
    expect((await holder.nextData())[0]).toBe(0x06); // A-RELEASE-RP
    holder.socket.destroy();
    await closedWithin(holder.socket, 1000);
    await new Promise((r) => setTimeout(r, 100));
    expect((await echo(node.port)).output).toMatch(/Echo Response \(Success\)/);
  });

  it('refuses associations transiently when free disk is below the minimum', async () => {
    node = await startTestReceiver({ receiver: { minFreeDiskMb: 1024 * 1024 * 1024 } });
    const before = (await associationsTotal.get()).values.reduce((n, v) => n + v.value, 0);
    const refused = await echo(node.port);
    expect(refused.output).toMatch(/Association Rejected/);
    expect(refused.output).toMatch(/Transient/i);
    expect(refused.output).toMatch(/Temporary Congestion/i);
    const after = (await associationsTotal.get()).values.reduce((n, v) => n + v.value, 0);
    expect(after).toBe(before + 1);
  });

  it('refuses a source address not on the allow list', async () => {
    node = await startTestReceiver({ receiver: { allowedSourceAddresses: ['10.9.9.9'] } });
    const refused = await echo(node.port);
    expect(refused.output).toMatch(/Association Rejected/);
    expect(refused.output).toMatch(/Permanent/i);
  });

  it('on stop: refuses new connections, lets an open association finish within the grace period', async () => {
    node = await startTestReceiver();
    const holder = await openAssociation(node.port);
    const started = Date.now();
    let stoppedAt = 0;
    const stopping = node.receiver.stop(5000).then(() => (stoppedAt = Date.now()));
    await new Promise((r) => setTimeout(r, 200));
    expect((await echo(node.port)).code).not.toBe(0); // listener closed
    expect(stoppedAt).toBe(0); // still waiting for the open association
    holder.socket.write(Buffer.from([0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0]));
    expect((await holder.nextData())[0]).toBe(0x06);
    holder.socket.destroy();
    await stopping;
    expect(stoppedAt - started).toBeLessThan(4000);
  });

  it('on stop: cuts associations still open after the grace period', async () => {
    node = await startTestReceiver();
    const holder = await openAssociation(node.port);
    const started = Date.now();
    await node.receiver.stop(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(await closedWithin(holder.socket, 2000)).toBe(true);
  });

  it('answers A700 (out of resources) when the spool cannot be written, and recovers', async () => {
    node = await startTestReceiver();
    const fixtures = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-nospace-'));
    const incoming = path.join(node.config.dataDir, 'spool', '.incoming');
    // Stand-in for a full or failing disk: the temp folder is a file, so nothing can be created in it.
    fs.rmSync(incoming, { recursive: true });
    fs.writeFileSync(incoming, 'not a folder');
    const first = writeMgFixture(fixtures);
    const refused = await runTool('storescu', [
      '-v',
      '-aec',
      'MAMMOCAD',
      '127.0.0.1',
      String(node.port),
      first.file,
    ]);
    expect(storeStatuses(refused.output)).toEqual([expect.stringMatching(/Refused: OutOfResources|A700/i)]);
    expect(fs.existsSync(path.join(node.config.dataDir, 'spool', first.studyUid))).toBe(false);
    fs.rmSync(incoming);
    fs.mkdirSync(incoming);
    const again = await runTool('storescu', [
      '-v',
      '-aec',
      'MAMMOCAD',
      '127.0.0.1',
      String(node.port),
      first.file,
    ]);
    expect(storeStatuses(again.output)).toEqual(['Success']);
    fs.rmSync(fixtures, { recursive: true, force: true });
  });
});
