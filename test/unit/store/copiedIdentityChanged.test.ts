import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { copiedIdentityChanged } from '../../../src/store/copiedIdentityChanged';
import { testUid, writeMgFixture } from '../../helpers/mgFixture';

describe('copiedIdentityChanged: does a re-sent copy correct what the objects copy about the patient or order?', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-identity-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const uids = { studyUid: testUid(), seriesUid: testUid(), sopInstanceUid: testUid() };
  const copy = (name: string, opts: Parameters<typeof writeMgFixture>[1] = {}) =>
    writeMgFixture(path.join(dir, name), { ...uids, ...opts }).file;

  it('a corrected Patient ID is a change', async () => {
    expect(await copiedIdentityChanged(copy('a'), copy('b', { patientId: 'SYNTH-0002' }))).toBe(true);
  });

  it('the same copy, or one differing only in what the objects do not copy (view, pixels), is not', async () => {
    expect(await copiedIdentityChanged(copy('c'), copy('d'))).toBe(false);
    expect(await copiedIdentityChanged(copy('e'), copy('f', { viewPosition: 'MLO', rows: 128 }))).toBe(false);
  });

  it('padding is not a change: "ID" and "ID " are one value', async () => {
    // Stored as 8 and 10 bytes: only the trailing spaces differ.
    expect(await copiedIdentityChanged(copy('g', { patientId: 'SYNTH-01' }), copy('h', { patientId: 'SYNTH-01  ' }))).toBe(false);
  });

  it('a copy whose dataset cannot be walked keeps the first copy', async () => {
    const broken = path.join(dir, 'broken.dcm');
    fs.writeFileSync(broken, Buffer.alloc(300));
    expect(await copiedIdentityChanged(copy('i'), broken)).toBe(false);
  });
});
