import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SpoolFileStream } from '../../../src/store/spoolFileStream';
import { incomingDir, instancePath } from '../../../src/store/spoolPaths';

const PART10_HEADER = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM')]);

/** The temp files left under spool/.incoming, after the file system has had time to settle. */
async function leftOver(dataDir: string): Promise<string[]> {
  await new Promise((r) => setTimeout(r, 200));
  return fs.existsSync(incomingDir(dataDir)) ? fs.readdirSync(incomingDir(dataDir)) : [];
}

describe('spool file stream', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-spoolstream-'))));
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('writes the Part 10 header and the dataset, and commit moves it to its spool name', async () => {
    const stream = new SpoolFileStream({ dataDir, part10Header: PART10_HEADER, explicitVr: true });
    const dataset = Buffer.from([0x08, 0x00, 0x60, 0x00, 0x43, 0x53, 0x02, 0x00, 0x4d, 0x47]); // (0008,0060) CS "MG"
    stream.end(dataset);
    await stream.whenWritten();
    expect(stream.header()).toEqual({ header: { modality: 'MG' } });
    const { outcome, path: stored } = await stream.commit('2.25.1', '2.25.2');
    expect(outcome).toBe('stored');
    expect(stored).toBe(instancePath(dataDir, '2.25.1', '2.25.2'));
    expect(fs.readFileSync(stored)).toEqual(Buffer.concat([PART10_HEADER, dataset]));
    expect(await leftOver(dataDir)).toEqual([]);
  });

  it('discarded before its file was even open (a peer that broke the protocol at once), leaves no file behind', async () => {
    // Found by sending damaged associations: the discard's unlink ran before the open created the file.
    const streams = Array.from({ length: 5 }, () => new SpoolFileStream({ dataDir, part10Header: PART10_HEADER, explicitVr: true }));
    await Promise.all(streams.map((s) => s.discard()));
    expect(await leftOver(dataDir)).toEqual([]);
  });

  it('discarded mid-transfer, leaves no file behind', async () => {
    const stream = new SpoolFileStream({ dataDir, part10Header: PART10_HEADER, explicitVr: true });
    stream.write(Buffer.alloc(2 * 1024 * 1024));
    await new Promise((r) => setTimeout(r, 100));
    expect(fs.readdirSync(incomingDir(dataDir))).toHaveLength(1);
    await stream.discard();
    expect(await leftOver(dataDir)).toEqual([]);
  });
});
