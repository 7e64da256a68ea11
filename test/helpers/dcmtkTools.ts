import { spawn } from 'child_process';

export interface ToolRun {
  code: number | null;
  output: string;
}

/** Runs a dcmtk tool (echoscu, storescu, ...) to completion, bounded in time; stdout and stderr together. */
export function runTool(command: string, args: string[], timeoutMs = 30000): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The status of every C-STORE response storescu printed with -v, in order. */
export function storeStatuses(output: string): string[] {
  return [...output.matchAll(/Received Store Response(?: \(([^)]*)\))?/g)].map((m) => m[1] ?? '');
}

/** dcmdump of a file without group 0002 (the file meta differs by design), for content comparison. */
export async function datasetDump(file: string): Promise<string> {
  const run = await runTool('dcmdump', ['-q', '+L', '+U8', file]);
  return run.output
    .split('\n')
    .filter((line) => line.startsWith('(') && !line.startsWith('(0002,'))
    .join('\n');
}

/** Every attribute of a file, nested ones included (references live in sequences). */
export async function fullDatasetDump(file: string): Promise<string> {
  return (await runTool('dcmdump', ['-q', '+L', file])).output;
}
