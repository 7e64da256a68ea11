import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runReadinessChecks } from '../../../src/http/readinessCheck';
import { spoolWritableCheck } from '../../../src/http/readinessChecks';

describe('readiness checks', () => {
  it('names the failing checks in order and turns a throw or a hang into a failure with a reason', async () => {
    const report = await runReadinessChecks(
      [
        { name: 'fine', run: async () => ({ ok: true, detail: 'all good' }) },
        { name: 'throws', run: async () => Promise.reject(new Error('boom')) },
        { name: 'hangs', run: () => new Promise(() => undefined) },
      ],
      100,
    );
    expect(report.ready).toBe(false);
    expect(report.failing).toEqual(['throws', 'hangs']);
    expect(report.checks).toEqual([
      { name: 'fine', ok: true, detail: 'all good' },
      { name: 'throws', ok: false, detail: 'boom' },
      { name: 'hangs', ok: false, detail: 'no answer within 100 ms' },
    ]);
  });

  it('passes a writable spool above its disk floor and leaves no probe file behind', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-spool-'));
    const result = await spoolWritableCheck(path.join(dir, 'spool'), 1).run();
    expect(result.ok).toBe(true);
    expect(result.detail).toMatch(/^\d+ MB free$/);
    expect(fs.readdirSync(path.join(dir, 'spool'))).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fails a spool below its disk floor and says by how much', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-spool-'));
    const result = await spoolWritableCheck(dir, 1024 * 1024 * 1024).run();
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/^\d+ MB free, below the floor of 1073741824 MB$/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fails a spool that cannot be written', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-spool-'));
    const file = path.join(dir, 'not-a-dir');
    fs.writeFileSync(file, 'x');
    const result = await spoolWritableCheck(file, 1).run();
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/^not writable: /);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fails a spool on a file system without hard links (an SMB share, some FUSE mounts) and says what to do', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-spool-'));
    // No such file system can be mounted here: the refusal the kernel gives on one (EPERM) stands in.
    const link = jest.spyOn(fs.promises, 'link').mockRejectedValue(Object.assign(new Error('operation not permitted'), { code: 'EPERM' }));
    try {
      const result = await spoolWritableCheck(dir, 1).run();
      expect(result.ok).toBe(false);
      expect(result.detail).toBe(`the file system of ${dir} does not support hard links (EPERM), which storing an instance needs: put dataDir on a local file system (ext4, xfs) or NFS`);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      link.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
