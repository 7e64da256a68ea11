import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureDurableDirectory } from '../../../src/store/durableFs';

describe('ensureDurableDirectory', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-durable-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  // Which directories were opened for fsync (fsyncDirectory opens each one read-only).
  async function syncedWhile(run: () => Promise<void>): Promise<string[]> {
    const open = jest.spyOn(fs.promises, 'open');
    try {
      await run();
      return open.mock.calls.map((call) => String(call[0]));
    } finally {
      open.mockRestore();
    }
  }

  it('creates the folder and fsyncs its parent', async () => {
    const dir = path.join(root, 'new-study');
    expect(await syncedWhile(() => ensureDurableDirectory(dir, root))).toEqual([root]);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
  });

  it('fsyncs the parent also when the folder exists (another writer may not have synced it yet)', async () => {
    const dir = path.join(root, 'existing-study');
    fs.mkdirSync(dir);
    expect(await syncedWhile(() => ensureDurableDirectory(dir, root))).toEqual([root]);
  });

  it('still fails for other errors than an existing folder', async () => {
    await expect(
      ensureDurableDirectory(path.join(root, 'missing', 'study'), path.join(root, 'missing')),
    ).rejects.toThrow(/ENOENT/);
  });
});
