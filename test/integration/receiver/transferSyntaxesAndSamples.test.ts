import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseFileMeta, readPart10Header } from '../../../src/dicom/part10HeaderReader';
import { instanceJobId } from '../../../src/store/instanceJobs';
import { instancePath } from '../../../src/store/spoolPaths';
import { TransferSyntaxUid } from '../../../src/dicom/transferSyntaxUid';
import { decodePixels, isNotAnalysable, type DecodedImage } from '../../../src/imaging';
import { transcodeDicomFile } from '../../../src/synth/codecs/transcode';
import { runCli } from '../../helpers/runCli';
import { compressedCopy, ENCODERS, STORESCU_PROPOSAL } from '../../helpers/compressedFixtures';
import { runTool, storeStatuses } from '../../helpers/dcmtkTools';
import { writeMgFixture } from '../../helpers/mgFixture';
import { startTestReceiver, TestReceiver } from '../../helpers/receiverHarness';

jest.setTimeout(120000);

const SAMPLES = path.resolve(__dirname, '../../../../shared/data/dicom-samples');

function datasetBytes(file: string): Buffer {
  const bytes = fs.readFileSync(file);
  return bytes.subarray(parseFileMeta(bytes)!.datasetOffset);
}

describe('receiver: compressed transfer syntaxes and real-world samples', () => {
  let node: TestReceiver;
  const fixtures = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-ts-'));

  beforeAll(async () => {
    // Acknowledged objects kept too, so their transfer syntax can be checked on disk.
    node = await startTestReceiver({ receiver: { keepAcknowledged: true } });
  });
  afterAll(async () => {
    await node?.stop();
    fs.rmSync(fixtures, { recursive: true, force: true });
  });

  it('accepts each compressed syntax storescu proposes and stores the dataset byte for byte as received', async () => {
    for (const encoder of ENCODERS) {
      const source = writeMgFixture(fixtures);
      const file = await compressedCopy(encoder, source.file);
      const ts = encoder.transferSyntax;
      const run = await runTool('storescu', [
        '-v',
        STORESCU_PROPOSAL[ts],
        '-aec',
        'MAMMOCAD',
        '127.0.0.1',
        String(node.port),
        file,
      ]);
      expect({ ts, statuses: storeStatuses(run.output) }).toEqual({ ts, statuses: ['Success'] });
      // Encoders may give the copy a new SOP Instance UID (gdcmconv does): go by the copy's own.
      const sent = (await readPart10Header(file)).header;
      expect(sent.studyUid).toBe(source.studyUid);
      const spooled = instancePath(node.config.dataDir, sent.studyUid!, sent.sopInstanceUid!);
      expect({ ts, stored: (await readPart10Header(spooled)).transferSyntaxUid }).toEqual({ ts, stored: ts });
      expect(datasetBytes(spooled).equals(datasetBytes(file))).toBe(true);
      expect(await node.queue.getJob('instance.analyse', instanceJobId(sent.sopInstanceUid!))).toBeDefined();
    }
  });

  it('accepts the HTJ2K syntaxes (sent by mammocad send: dcmtk 3.6.7 does not know them) and stores them in their syntax, the pixels intact', async () => {
    for (const ts of [TransferSyntaxUid.htj2kLossless, TransferSyntaxUid.htj2kLosslessRpcl, TransferSyntaxUid.htj2k]) {
      const source = writeMgFixture(fixtures);
      const file = source.file.replace(/\.dcm$/, `.${ts}.dcm`);
      await transcodeDicomFile(source.file, file, ts);
      const sent = await runCli(['send', file, '--to', `MAMMOCAD@127.0.0.1:${node.port}`]);
      expect({ ts, code: sent.code, out: sent.stdout }).toEqual({ ts, code: 0, out: expect.stringMatching(/^OK .* 0x0000 Success/) });
      const spooled = instancePath(node.config.dataDir, source.studyUid, source.sopInstanceUid);
      expect({ ts, stored: (await readPart10Header(spooled)).transferSyntaxUid }).toEqual({ ts, stored: ts });
      // dcmjs-dimse writes the dataset anew, so compare what matters: the same pixels come out.
      const [ours, theirs] = await Promise.all([decodePixels(spooled), decodePixels(file)]);
      expect(isNotAnalysable(ours) || isNotAnalysable(theirs)).toBe(false);
      expect(Buffer.from((ours as DecodedImage).pixels.buffer).equals(Buffer.from((theirs as DecodedImage).pixels.buffer))).toBe(true);
      expect(await node.queue.getJob('instance.analyse', instanceJobId(source.sopInstanceUid))).toBeDefined();
    }
  });

  it('answers every sample file as the policy says and keeps serving', async () => {
    if (!fs.existsSync(SAMPLES)) {
      console.warn(`skipped: ${SAMPLES} is absent`);
      return;
    }
    const files = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.dcm'));
    for (const name of files) {
      const file = path.join(SAMPLES, name);
      const meta = await readPart10Header(file);
      const proposal = STORESCU_PROPOSAL[meta.transferSyntaxUid];
      const run = await runTool('storescu', [
        '-v',
        '-nh',
        ...(proposal ? [proposal] : []),
        '-aec',
        'MAMMOCAD',
        '127.0.0.1',
        String(node.port),
        file,
      ]);
      const statuses = storeStatuses(run.output);
      const analysed = node.config.receiver.analysedSopClasses.includes(meta.header.sopClassUid!);
      const acknowledged = node.config.receiver.acknowledgedSopClasses.includes(meta.header.sopClassUid!);
      if (statuses.length === 0) {
        // storescu could not read the file itself (the Hologic sample is cut short): nothing sent.
        expect(run.output).toMatch(/E: /);
      } else {
        expect({ name, statuses }).toEqual({
          name,
          statuses: analysed || acknowledged ? ['Success'] : [expect.stringMatching(/./)],
        });
        const spooled = instancePath(node.config.dataDir, meta.header.studyUid!, meta.header.sopInstanceUid!);
        expect(fs.existsSync(spooled)).toBe(true);
        expect((await readPart10Header(spooled)).transferSyntaxUid).toBe(meta.transferSyntaxUid);
        const job = await node.queue.getJob('instance.analyse', instanceJobId(meta.header.sopInstanceUid!));
        expect({ name, queued: job !== undefined }).toEqual({ name, queued: analysed });
      }
      const echo = await runTool('echoscu', ['-aec', 'MAMMOCAD', '127.0.0.1', String(node.port)]);
      expect({ name, echo: echo.code }).toEqual({ name, echo: 0 });
    }
  });
});
