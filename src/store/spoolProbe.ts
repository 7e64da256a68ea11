import * as fs from 'fs';
import * as path from 'path';

/**
 * Checks that the spool can do what storing an instance does: write and fsync a file, hard-link it
 * under its final name (commit's first-copy-wins link) and remove both. Some network and FUSE file
 * systems (SMB shares, some object-store mounts) refuse hard links: every C-STORE would then fail
 * with A700, so the receiver refuses to start instead, and /readyz names the cause. Its errors say
 * which step failed ("not writable: …", or the hard links).
 */
export async function probeSpool(spoolDir: string): Promise<void> {
  await fs.promises.mkdir(spoolDir, { recursive: true }).catch((e: Error) => {
    throw new Error(`not writable: ${e.message}`);
  });
  const probe = path.join(spoolDir, `.probe-${process.pid}-${Date.now()}`);
  const linked = `${probe}.link`;
  try {
    try {
      const handle = await fs.promises.open(probe, 'w');
      try {
        await handle.writeFile('ok');
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (e) {
      throw new Error(`not writable: ${(e as Error).message}`);
    }
    try {
      await fs.promises.link(probe, linked);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(
        `the file system of ${spoolDir} does not support hard links (${code ?? (e as Error).message}), which storing an instance needs: put dataDir on a local file system (ext4, xfs) or NFS`,
      );
    }
  } finally {
    await fs.promises.unlink(linked).catch(() => undefined);
    await fs.promises.unlink(probe).catch(() => undefined);
  }
}
