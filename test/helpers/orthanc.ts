import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from '../../src/redis/freePort';
import { spawnLogged, TestChild, waitFor } from './childProcess';

export const ORTHANC_BINARY = '/usr/sbin/Orthanc';

export interface OrthancOptions {
  aeTitle?: string;
  /** Modalities Orthanc may send to: name → [AET, host, port]. */
  modalities?: Record<string, [string, string, number]>;
  /** Reuse a storage directory and ports (restart the same PACS). */
  dir?: string;
  httpPort?: number;
  dicomPort?: number;
  /** Load the DICOMweb plugin (Debian's orthanc-dicomweb): STOW-RS at `<rest base>/dicom-web`. */
  dicomWeb?: boolean;
}

export const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

/** A private Orthanc acting as the PACS: loopback only, temp storage, no auth, REST on httpPort. */
export interface Orthanc {
  aeTitle: string;
  httpPort: number;
  dicomPort: number;
  dir: string;
  /** AET@127.0.0.1:dicomPort */
  destination: string;
  /** The STOW-RS base URL (with `dicomWeb`). */
  dicomWebUrl: string;
  process: TestChild;
  rest<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T>;
  /** Uploads a Part 10 file through REST; returns Orthanc's instance id. */
  upload(file: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startOrthanc(opts: OrthancOptions = {}): Promise<Orthanc> {
  const aeTitle = opts.aeTitle ?? 'ORTHANC';
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mc-orthanc-'));
  const httpPort = opts.httpPort ?? (await freePort());
  const dicomPort = opts.dicomPort ?? (await freePort());
  const storage = path.join(dir, 'storage');
  fs.mkdirSync(storage, { recursive: true });
  const config = {
    Name: 'mammocad-test-pacs',
    StorageDirectory: storage,
    IndexDirectory: storage,
    HttpPort: httpPort,
    DicomPort: dicomPort,
    DicomAet: aeTitle,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    HttpServerEnabled: true,
    DicomServerEnabled: true,
    DicomCheckCalledAet: false,
    DicomAlwaysAllowEcho: true,
    DicomAlwaysAllowStore: true,
    // A re-sent CAD object (same UIDs, new content) replaces the old one, as a PACS should.
    OverwriteInstances: true,
    DicomModalities: opts.modalities ?? {},
    Plugins: opts.dicomWeb ? [DICOMWEB_PLUGIN] : [],
    ...(opts.dicomWeb && { DicomWeb: { Enable: true, Root: '/dicom-web/' } }),
    ConcurrentJobs: 2,
    HttpThreadsCount: 4,
    StableAge: 2,
    SaveJobs: false,
    StorageCompression: false,
    DicomScuTimeout: 30,
    DicomAssociationCloseDelay: 0,
  };
  const configFile = path.join(dir, 'orthanc.json');
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const proc = spawnLogged(ORTHANC_BINARY, [configFile], path.join(dir, 'orthanc.log'));
  const base = `http://127.0.0.1:${httpPort}`;

  async function rest<T>(method: string, urlPath: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, signal: AbortSignal.timeout(60000) };
    if (body !== undefined) {
      init.body = Buffer.isBuffer(body) ? body : JSON.stringify(body);
      init.headers = { 'content-type': Buffer.isBuffer(body) ? 'application/dicom' : 'application/json' };
    }
    const res = await fetch(base + urlPath, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`Orthanc ${method} ${urlPath}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  try {
    await waitFor(
      'Orthanc REST API',
      async () => {
        if (proc.exited()) throw new Error('Orthanc exited during start-up');
        try {
          const sys = await rest<{ DicomAet: string }>('GET', '/system');
          return sys.DicomAet === aeTitle ? true : undefined;
        } catch (err) {
          if ((err as Error).message.includes('exited')) throw err;
          return undefined;
        }
      },
      30000,
      100,
    );
  } catch (err) {
    await proc.stop('SIGKILL');
    throw new Error(`Orthanc did not start: ${(err as Error).message}\n${proc.log().slice(-3000)}`);
  }

  return {
    aeTitle,
    httpPort,
    dicomPort,
    dir,
    destination: `${aeTitle}@127.0.0.1:${dicomPort}`,
    dicomWebUrl: `${base}/dicom-web`,
    process: proc,
    rest,
    upload: async (file) => (await rest<{ ID: string }>('POST', '/instances', fs.readFileSync(file))).ID,
    stop: () => proc.stop(),
  };
}
