import * as fs from 'fs';

/** fsync a directory so that a rename or link inside it survives a power cut. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Creates `dir` and fsyncs its parent, so the entry itself is durable. The fsync runs when `dir`
 * already existed too: another association may have just created it and not yet synced the parent,
 * or a crash may have come between its mkdir and that fsync.
 */
export async function ensureDurableDirectory(dir: string, parent: string): Promise<void> {
  try {
    await fs.promises.mkdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  await fsyncDirectory(parent);
}
