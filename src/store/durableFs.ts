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

/** Creates `dir` (and parents); fsyncs the parent when it was new, so the entry itself is durable. */
export async function ensureDurableDirectory(dir: string, parent: string): Promise<void> {
  try {
    await fs.promises.mkdir(dir);
    await fsyncDirectory(parent);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}
