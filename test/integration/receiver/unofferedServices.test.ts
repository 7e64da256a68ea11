import { requestStorageCommitment } from '../../../src/export/storageCommitment';
import { StoreError } from '../../../src/export/storeErrors';
import { UNRECOGNIZED_OPERATION } from '../../../src/dicom/unofferedServicesScp';
import { runTool } from '../../helpers/dcmtkTools';
import { associateRq, closedWithin, connectRaw, dimseCommand, pData, responseCommand } from '../../helpers/rawDicomPeer';
import { startTestReceiver, TestReceiver } from '../../helpers/receiverHarness';

jest.setTimeout(60000);

const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT = '1.2.840.10008.1.2';
const C_FIND_RQ = 0x0020;
const C_ECHO_RQ = 0x0030;
const A_ABORT = 0x07;

describe('receiver: DIMSE services the node does not offer', () => {
  let node: TestReceiver;

  beforeAll(async () => {
    node = await startTestReceiver();
  });
  afterAll(async () => {
    await node?.stop();
  });

  async function verificationAssociation() {
    const peer = await connectRaw(node.port);
    peer.socket.write(associateRq('RAW', 'MAMMOCAD', VERIFICATION, IMPLICIT));
    expect((await peer.nextData())[0]).toBe(0x02);
    return peer;
  }

  it('refuses a storage commitment request (a modality asking the node to commit) with Unrecognized Operation', async () => {
    const asking = requestStorageCommitment(
      { aeTitle: 'MAMMOCAD', host: '127.0.0.1', port: node.port },
      '2.25.4242',
      [{ sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2', sopInstanceUid: '2.25.4243' }],
      { callingAeTitle: 'MODALITY', timeoutMs: 5000 },
    );
    await expect(asking).rejects.toThrow(StoreError);
    await expect(asking).rejects.toThrow(/refused storage commitment: 0x0211 Unrecognized Operation/);
  });

  it('answers a C-FIND with Unrecognized Operation on its own class, and the association goes on', async () => {
    const peer = await verificationAssociation();
    peer.socket.write(pData(1, true, true, dimseCommand(C_FIND_RQ, VERIFICATION, 5)));
    expect(responseCommand(await peer.nextData())).toEqual({
      commandField: 0x8020,
      status: UNRECOGNIZED_OPERATION,
      sopClass: VERIFICATION,
    });
    peer.socket.write(pData(1, true, true, dimseCommand(C_ECHO_RQ, VERIFICATION, 6)));
    expect(responseCommand(await peer.nextData())).toMatchObject({ commandField: 0x8030, status: 0 });
    peer.socket.destroy();
  });

  it.each([
    ['an unknown Command Field', 0x1234],
    ['a C-STORE-RSP to a request never sent', 0x8001],
    ['no Command Field at all', undefined],
  ])('aborts at once on %s instead of leaving the peer waiting', async (_what, field) => {
    const peer = await verificationAssociation();
    peer.socket.write(pData(1, true, true, dimseCommand(field, VERIFICATION)));
    // Within seconds, not at the 60 s association idle timeout that ended it before.
    expect((await peer.nextData(5000))[0]).toBe(A_ABORT);
    expect(await closedWithin(peer.socket, 5000)).toBe(true);
    const run = await runTool('echoscu', ['-v', '-aec', 'MAMMOCAD', '127.0.0.1', String(node.port)]);
    expect(run.output).toMatch(/Echo Response \(Success\)/);
  });

  it('ignores a C-CANCEL (there is nothing to cancel, and it has no response)', async () => {
    const peer = await verificationAssociation();
    peer.socket.write(pData(1, true, true, dimseCommand(0x0fff, VERIFICATION)));
    await expect(peer.nextData(1500)).rejects.toThrow(/no data/);
    peer.socket.write(pData(1, true, true, dimseCommand(C_ECHO_RQ, VERIFICATION, 2)));
    expect(responseCommand(await peer.nextData())).toMatchObject({ commandField: 0x8030, status: 0 });
    peer.socket.destroy();
  });
});
