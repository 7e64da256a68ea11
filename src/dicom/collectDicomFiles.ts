import * as fs from 'fs';
import * as path from 'path';

/** Every file under the given paths (folders recursively, names in sorted order), as absolute paths. */
export function filesUnder(inputs: string[]): string[] {
  const out: string[] = [];
  const visit = (p: string): void => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) visit(path.join(p, name));
    } else if (stat.isFile()) {
      out.push(p);
    }
  };
  for (const input of inputs) visit(path.resolve(input));
  return out;
}

/** Part 10 files under the given paths (folders recursively), recognised by their DICM preamble. */
export function collectDicomFiles(inputs: string[]): string[] {
  return filesUnder(inputs).filter(isPart10);
}

/** Whether a file starts with the Part 10 preamble and "DICM" (PS3.10 §7.1), whatever its name. */
export function isPart10(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const magic = Buffer.alloc(4);
    return fs.readSync(fd, magic, 0, 4, 128) === 4 && magic.toString('latin1') === 'DICM';
  } finally {
    fs.closeSync(fd);
  }
}
