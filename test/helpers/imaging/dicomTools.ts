import { spawnSync } from 'node:child_process';

/** Runs a DICOM command-line tool (dcmtk, GDCM) and throws with its output when it fails. */
export function runTool(tool: string, args: string[]): void {
  const r = spawnSync(tool, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0)
    throw new Error(`${tool} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
}

/** True when every named tool can be started (tests that need them skip otherwise). */
export function toolsAvailable(...tools: string[]): boolean {
  return tools.every((t) => {
    const r = spawnSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' });
    return r.status === 0;
  });
}

/** Transfer syntax UID of a file, read with dcmdump (independent of our own parser). */
export function transferSyntaxOf(path: string): string {
  const r = spawnSync('dcmdump', ['-M', '-Un', '+P', '0002,0010', '-s', path], { encoding: 'utf8' });
  const m = /\[([0-9.]+)\]/.exec(r.stdout);
  return m ? m[1] : '';
}
