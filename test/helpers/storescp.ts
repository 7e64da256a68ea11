import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from '../../src/redis/freePort';
import { spawnLogged, TestChild, waitForPort } from './childProcess';

export interface StoreScpOptions {
  aeTitle?: string;
  /** Reuse a port (to bring a "PACS" back where it was). */
  port?: number;
  /** Reuse an output directory. */
  dir?: string;
  /** Serve TLS with this key/certificate (PEM files); client certificates are not required. */
  tls?: { keyFile: string; certFile: string };
  extraArgs?: string[];
}

/** dcmtk storescp as a destination: every received object lands as a file in `dir`. */
export interface StoreScp {
  aeTitle: string;
  port: number;
  dir: string;
  /** AET@127.0.0.1:port */
  destination: string;
  process: TestChild;
  /** Received files (storescp names them <modality>.<SOPInstanceUID>; a re-sent UID overwrites). */
  files(): string[];
  /** C-STORE requests received so far (from storescp's verbose log): counts re-sends too. */
  storeRequests(): number;
  stop(): Promise<void>;
}

export async function startStoreScp(opts: StoreScpOptions = {}): Promise<StoreScp> {
  const aeTitle = opts.aeTitle ?? 'TESTSCP';
  const port = opts.port ?? (await freePort());
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mc-storescp-'));
  fs.mkdirSync(dir, { recursive: true });
  const args = ['-v', '-aet', aeTitle, '-od', dir, '+xa', '-dhl', '-ts', '30', '-ta', '10'];
  if (opts.tls) args.push('+tls', opts.tls.keyFile, opts.tls.certFile, '-ic');
  args.push(...(opts.extraArgs ?? []), String(port));
  // The process id in the name lets a test find the logs it made among those of tests running beside it.
  const logFile = path.join(os.tmpdir(), `mc-storescp-${process.pid}-${port}-${Date.now()}.log`);
  const proc = spawnLogged('storescp', args, logFile);
  try {
    await waitForPort(port, proc.exited);
  } catch (err) {
    await proc.stop('SIGKILL');
    const text = proc.log();
    fs.rmSync(logFile, { force: true });
    throw new Error(`storescp did not start: ${(err as Error).message}\n${text}`);
  }
  // The log lives in the temp dir only while storescp runs: stop() keeps its text and removes the file.
  let finalLog: string | undefined;
  const log = () => finalLog ?? proc.log();
  return {
    aeTitle,
    port,
    dir,
    destination: `${aeTitle}@127.0.0.1:${port}`,
    process: { ...proc, log },
    files: () =>
      fs
        .readdirSync(dir)
        .filter((f) => !f.startsWith('.'))
        .map((f) => path.join(dir, f)),
    storeRequests: () => (log().match(/Received Store Request/g) ?? []).length,
    stop: async () => {
      await proc.stop();
      finalLog ??= proc.log();
      fs.rmSync(logFile, { force: true });
    },
  };
}
