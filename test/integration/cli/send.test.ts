import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from '../../../src/redis/freePort';
import { startStoreScp } from '../../helpers/storescp';
import { writeTestInstance } from '../../helpers/dicomFiles';
import { runCli } from '../../helpers/runCli';
import { eventOf } from '../../helpers/auditMessages';
import { waitFor } from '../../helpers/childProcess';
import { startRsyslog } from '../../helpers/rsyslog';
import { DICOMWEB_PLUGIN, startOrthanc } from '../../helpers/orthanc';
import { writeMgFixture } from '../../helpers/mgFixture';
import { TransferSyntaxUid } from '../../../src/dicom/transferSyntaxUid';
import { transcodeDicomFile } from '../../../src/synth/codecs/transcode';

describe('mammocad send', () => {
  it('sends a folder of any SOP classes and transfer syntaxes, each in its own syntax, to storescp', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-send-'));
    fs.mkdirSync(path.join(dir, 'nested'));
    const sr = writeTestInstance(dir, '1.2.840.10008.5.1.4.1.1.88.33');
    const sc = writeTestInstance(path.join(dir, 'nested'), '1.2.840.10008.5.1.4.1.1.7', { modality: 'OT', withPixels: true });
    // An RLE-compressed copy: the sender must propose that syntax, not transcode.
    execFileSync('dcmcrle', [sc.file, path.join(dir, 'nested', 'rle.dcm')]);
    fs.rmSync(sc.file);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not DICOM');

    const scp = await startStoreScp({ aeTitle: 'ROUTER' });
    try {
      const res = await runCli(['send', dir, '--to', scp.destination, '--calling-ae', 'MODALITY1']);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(res.stdout).toContain(`OK   ${sr.sopInstanceUid}`);
      expect(res.stdout).toContain(`OK   ${sc.sopInstanceUid}`);
      expect(res.stdout).toContain(`2 of 2 delivered to ${scp.destination}`);
      const stored = scp.files().find((f) => f.endsWith(sc.sopInstanceUid))!;
      const dump = execFileSync('dcmdump', ['-Un', '+P', '0002,0010', stored], { encoding: 'utf8' });
      expect(dump).toContain('[1.2.840.10008.1.2.5]'); // RLE Lossless, as sent
      expect(scp.process.log()).toMatch(/MODALITY1|Association Received/);
    } finally {
      await scp.stop();
    }
  });

  const hologic = path.resolve(__dirname, '../../../../shared/data/dicom-samples/MG-Im-Hologic-PropProj.dcm');
  (fs.existsSync(hologic) ? it : it.skip)("sends a file dcmjs reads leniently (Hologic's VR UN sequence) without dcmjs's warnings on the console", async () => {
    const scp = await startStoreScp({ aeTitle: 'ROUTER' });
    try {
      const res = await runCli(['send', hologic, '--to', scp.destination]);
      expect(res.stdout).toContain(`1 of 1 delivered to ${scp.destination}`);
      expect(`${res.stdout}${res.stderr}`).not.toMatch(/WARN|Unknown name in dataset|at SplitDataView/);
      expect(res.code).toBe(0);
    } finally {
      await scp.stop();
    }
  });

  it('a file in a syntax the destination does not take is reported as such, and the others of the association still go', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-send-'));
    const plain = writeMgFixture(dir);
    const htj2k = writeMgFixture(dir, { studyUid: plain.studyUid });
    const htj2kFile = path.join(dir, 'htj2k.dcm');
    await transcodeDicomFile(htj2k.file, htj2kFile, TransferSyntaxUid.htj2kLossless);
    fs.rmSync(htj2k.file);
    // dcmtk 3.6.7's storescp does not know the HTJ2K syntaxes: it accepts MG in the uncompressed ones only.
    const scp = await startStoreScp({ aeTitle: 'ROUTER' });
    const repository = await startRsyslog('udp');
    try {
      const res = await runCli(['send', dir, '--to', scp.destination], { MAMMOCAD_AUDIT_REPOSITORY: repository.url });
      expect(res.code).toBe(1);
      expect(res.stdout).toContain(
        `FAIL ${htj2k.sopInstanceUid} ${path.relative(process.cwd(), htj2kFile)} presentation context for SOP class 1.2.840.10008.5.1.4.1.1.1.2 in transfer syntax 1.2.840.10008.1.2.4.201 not accepted`,
      );
      expect(res.stdout).toContain(`OK   ${plain.sopInstanceUid}`);
      expect(res.stdout).toContain(`1 of 2 delivered to ${scp.destination}`);
      expect(res.stderr).not.toMatch(/closed the association/);
      // The audit trail: the study's delivered instance, and its failed one with the reason.
      const audited = await waitFor('two audit messages', () => (repository.messages().length >= 2 ? repository.messages().map((m) => m.xml) : undefined), 10000);
      expect(audited.map(eventOf)).toEqual(['110104 R', '110104 R']);
      const failed = audited.find((x) => x.includes('EventOutcomeIndicator="4"'))!;
      expect(failed).toContain(`ParticipantObjectID="${plain.studyUid}"`);
      expect(failed).toContain('<EventOutcomeDescription>not delivered: presentation context for SOP class');
      expect(audited.find((x) => x.includes('EventOutcomeIndicator="0"'))).toContain('UserID="ROUTER"');
    } finally {
      await scp.stop();
      await repository.stop();
    }
  });

  it('exits non-zero and says why when the destination is down', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-send-'));
    writeTestInstance(dir, '1.2.840.10008.5.1.4.1.1.88.33');
    const port = await freePort();
    const res = await runCli(['send', dir, '--to', `PACS@127.0.0.1:${port}`]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/mammocad: PACS@127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });

  (fs.existsSync(DICOMWEB_PLUGIN) ? it : it.skip)('sends by STOW-RS to a DICOMweb URL; an --authorization-env that is not set stops it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-send-stow-'));
    const sr = writeTestInstance(dir, '1.2.840.10008.5.1.4.1.1.88.33');
    const mg = writeMgFixture(dir);
    const orthanc = await startOrthanc({ dicomWeb: true });
    try {
      const res = await runCli(['send', dir, '--to', orthanc.dicomWebUrl, '--authorization-env', 'TEST_STOW_AUTH'], { TEST_STOW_AUTH: 'Bearer unused-by-orthanc' });
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(res.stdout).toContain(`OK   ${sr.sopInstanceUid}`);
      expect(res.stdout).toContain(`OK   ${mg.sopInstanceUid}`);
      expect(res.stdout).toContain(`2 of 2 delivered to ${orthanc.dicomWebUrl}`);
      const unset = await runCli(['send', dir, '--to', orthanc.dicomWebUrl, '--authorization-env', 'NOT_SET_ANYWHERE']);
      expect(unset.code).toBe(1);
      expect(unset.stderr).toContain('--authorization-env: NOT_SET_ANYWHERE is not set');
    } finally {
      await orthanc.stop();
    }
  });
});
