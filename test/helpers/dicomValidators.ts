import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The three validators of the report gate (SR.md), run as the Debian packages install them. */
export function haveCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export const pixelmedJar = '/usr/share/java/pixelmed.jar';

export function validatorsAvailable(): boolean {
  return (
    haveCommand('dciodvfy') && haveCommand('dsrdump') && haveCommand('java') && fs.existsSync(pixelmedJar)
  );
}

function run(cmd: string, args: string[], timeoutMs: number): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return `${r.stdout ?? ''}${r.stderr ?? ''}`;
}

/** dciodvfy -new: every line (stdout and stderr). */
export function dciodvfy(file: string): string[] {
  return run('dciodvfy', ['-new', file], 60_000).split('\n');
}

/** dsrdump: the tree on stdout, warnings and errors on stderr, both returned. */
export function dsrdump(file: string): { stdout: string; all: string[] } {
  const r = spawnSync('dsrdump', [file], { encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout ?? '', all: `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n') };
}

/**
 * PixelMed's DicomSRValidator over many files in ONE JVM (test/helpers/DicomSRValidatorBatch.java):
 * output lines per file. The XPath limits of Java 17 must be lifted for its stylesheets.
 */
export function pixelmedSrValidate(files: string[]): Map<string, string[]> {
  const jars = fs
    .readdirSync('/usr/share/java')
    .filter((f) => f.endsWith('.jar'))
    .map((f) => path.join('/usr/share/java', f));
  const out = run(
    'java',
    [
      '-Djdk.xml.xpathExprOpLimit=0',
      '-Djdk.xml.xpathExprGrpLimit=0',
      '-Djdk.xml.xpathTotalOpLimit=0',
      '-Xss16m',
      '-cp',
      [pixelmedJar, ...jars].join(':'),
      path.join(__dirname, 'DicomSRValidatorBatch.java'),
      ...files,
    ],
    540_000,
  );
  const byFile = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of out.split('\n')) {
    const m = /^=== FILE (.*)$/.exec(line);
    if (m) {
      current = [];
      byFile.set(m[1], current);
    } else if (current && line.trim() && !line.startsWith('Checking')) {
      current.push(line);
    }
  }
  return byFile;
}
