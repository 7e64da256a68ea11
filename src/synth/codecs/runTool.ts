import { execFile } from 'node:child_process';

/** Runs an external DICOM tool and fails with its stderr, so a codec problem names its cause. */
export function runTool(program: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { timeout: 120_000, maxBuffer: 4 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) {
        reject(new Error(`${program} ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      } else {
        resolve();
      }
    });
  });
}
