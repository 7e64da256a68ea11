import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { CAD_OBJECT_SOP_CLASSES, storeFiles, storeFilesOrThrow } from '../../../src/export/storeScu';
import {
  AssociationRejectedError,
  StoreNetworkError,
  StoreRefusedError,
  StoreTimeoutError,
} from '../../../src/export/storeErrors';
import { tlsOptionsFromConfig } from '../../../src/tls/tlsOptions';
import { freePort } from '../../../src/redis/freePort';
import { startStoreScp, StoreScp } from '../../helpers/storescp';
import { startStatusScp } from '../../helpers/statusScp';
import { writeTestInstance, TestInstance } from '../../helpers/dicomFiles';
import { makeSelfSignedCert } from '../../helpers/selfSignedCert';

function dump(file: string): string {
  return execFileSync('dcmdump', ['-Un', '+P', '0008,0016', '+P', '0008,0018', '+P', '0020,000d', '+P', '0002,0010', file], {
    encoding: 'utf8',
  });
}

describe('C-STORE SCU (export)', () => {
  let dir: string;
  let objects: TestInstance[];
  const opts = { callingAeTitle: 'MAMMOCAD', timeoutMs: 5000, extraSopClasses: CAD_OBJECT_SOP_CLASSES };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-scu-'));
    const studyUid = '2.25.1234567890';
    const modalities = ['SR', 'SR', 'PR', 'KO'];
    objects = CAD_OBJECT_SOP_CLASSES.map((sopClass, i) => writeTestInstance(dir, sopClass, { studyUid, modality: modalities[i] }));
  });

  it('stores the CAD object classes (and our rejection note) to storescp over one association, content intact', async () => {
    const scp = await startStoreScp({ aeTitle: 'PACS' });
    try {
      const results = await storeFilesOrThrow({ aeTitle: 'PACS', host: '127.0.0.1', port: scp.port }, objects.map((o) => o.file), opts);
      expect(results.map((r) => r.outcome)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
      expect(results.map((r) => r.status)).toEqual([0, 0, 0, 0]);
      const received = scp.files();
      expect(received).toHaveLength(4);
      for (const o of objects) {
        const file = received.find((f) => f.endsWith(o.sopInstanceUid));
        expect(file).toBeDefined();
        const text = dump(file!);
        expect(text).toContain(`[${o.sopClassUid}]`);
        expect(text).toContain(`[${o.sopInstanceUid}]`);
        expect(text).toContain('[2.25.1234567890]');
        expect(text).toContain('1.2.840.10008.1.2.1'); // stored as sent: Explicit VR Little Endian
      }
    } finally {
      await scp.stop();
    }
  });

  it('counts warning statuses B000, B007, B006 as delivered and keeps the status text', async () => {
    for (const status of [0xb000, 0xb007, 0xb006]) {
      const scp = await startStatusScp(status, 'coerced');
      try {
        const [result] = await storeFilesOrThrow({ aeTitle: 'ANY', host: '127.0.0.1', port: scp.port }, [objects[0].file], opts);
        expect(result.outcome).toBe('warning');
        expect(result.status).toBe(status);
        expect(result.detail).toContain('coerced');
        expect(scp.received).toEqual([objects[0].sopInstanceUid]);
      } finally {
        scp.stop();
      }
    }
  });

  it('throws StoreRefusedError with the status for a failure response', async () => {
    const scp = await startStatusScp(0xa700, 'disk full');
    try {
      const err = await storeFilesOrThrow({ aeTitle: 'ANY', host: '127.0.0.1', port: scp.port }, [objects[1].file], opts).catch((e) => e);
      expect(err).toBeInstanceOf(StoreRefusedError);
      expect(err.status).toBe(0xa700);
      expect(err.message).toMatch(/0xA700 Refused: Out of Resources \(disk full\)/);
      expect(err.sopInstanceUid).toBe(objects[1].sopInstanceUid);
    } finally {
      scp.stop();
    }
  });

  it('throws AssociationRejectedError when the destination refuses the association', async () => {
    const scp = await startStoreScp({ aeTitle: 'PACS', extraArgs: ['--refuse'] });
    try {
      const err = await storeFiles({ aeTitle: 'PACS', host: '127.0.0.1', port: scp.port }, [objects[0].file], opts).catch((e) => e);
      expect(err).toBeInstanceOf(AssociationRejectedError);
      expect(err.message).toMatch(/association rejected by PACS@127\.0\.0\.1/);
      // storescp --refuse: source 1 (the service user), reason 1, which is not "temporary congestion" (source 3's reason 1).
      expect(err.message).toMatch(/source 1, reason 1 \(no reason given\)/);
    } finally {
      await scp.stop();
    }
  });

  it('throws StoreNetworkError at once, naming the abort, when the destination aborts the association', async () => {
    // storescp --abort-after: an A-ABORT after the C-STORE request, before any response.
    const scp = await startStoreScp({ aeTitle: 'PACS', extraArgs: ['--abort-after'] });
    const started = Date.now();
    try {
      const err = await storeFiles({ aeTitle: 'PACS', host: '127.0.0.1', port: scp.port }, [objects[0].file], { ...opts, timeoutMs: 20000 }).catch((e) => e);
      expect(err).toBeInstanceOf(StoreNetworkError);
      expect(err.message).toBe(`PACS@127.0.0.1:${scp.port} aborted the association (source 0, the service user)`);
      expect(Date.now() - started).toBeLessThan(10000);
    } finally {
      await scp.stop();
    }
  });

  it('throws StoreNetworkError when nothing listens', async () => {
    const port = await freePort();
    const err = await storeFiles({ aeTitle: 'PACS', host: '127.0.0.1', port }, [objects[0].file], opts).catch((e) => e);
    expect(err).toBeInstanceOf(StoreNetworkError);
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.destination).toBe(`PACS@127.0.0.1:${port}`);
  });

  it('throws StoreTimeoutError when the peer accepts TCP but never answers', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const started = Date.now();
    try {
      const err = await storeFiles({ aeTitle: 'PACS', host: '127.0.0.1', port }, [objects[0].file], { ...opts, timeoutMs: 1500 }).catch((e) => e);
      expect(err).toBeInstanceOf(StoreTimeoutError);
      expect(Date.now() - started).toBeLessThan(8000);
    } finally {
      sockets.forEach((s) => s.destroy());
      silent.close();
    }
  });

  it('stores over TLS to a storescp with a self-signed certificate, and refuses an untrusted one', async () => {
    const cert = makeSelfSignedCert(dir, 'pacs');
    const scp: StoreScp = await startStoreScp({ aeTitle: 'TLSPACS', tls: cert });
    try {
      const tls = tlsOptionsFromConfig({ enabled: true, certFile: '', keyFile: '', caFile: cert.certFile });
      const results = await storeFilesOrThrow({ aeTitle: 'TLSPACS', host: '127.0.0.1', port: scp.port }, [objects[2].file], { ...opts, tls });
      expect(results[0].outcome).toBe('delivered');
      expect(scp.files().some((f) => f.endsWith(objects[2].sopInstanceUid))).toBe(true);

      const untrusted = tlsOptionsFromConfig({ enabled: true, certFile: '', keyFile: '', caFile: '' });
      const err = await storeFiles({ aeTitle: 'TLSPACS', host: '127.0.0.1', port: scp.port }, [objects[2].file], { ...opts, tls: untrusted }).catch((e) => e);
      expect(err).toBeInstanceOf(StoreNetworkError);
      expect(err.message).toMatch(/self[- ]signed/i);
    } finally {
      await scp.stop();
    }
  });

  it('names a TLS mismatch in either direction instead of a bare connection reset', async () => {
    const cert = makeSelfSignedCert(dir, 'pacs');
    const tlsScp = await startStoreScp({ aeTitle: 'TLSPACS', tls: cert });
    const plainScp = await startStoreScp({ aeTitle: 'PACS' });
    try {
      const plainToTls = await storeFiles({ aeTitle: 'TLSPACS', host: '127.0.0.1', port: tlsScp.port }, [objects[2].file], opts).catch((e) => e);
      expect(plainToTls).toBeInstanceOf(StoreNetworkError);
      expect(plainToTls.message).toMatch(/set tls: true on this destination/);
      const tls = tlsOptionsFromConfig({ enabled: true, certFile: '', keyFile: '', caFile: cert.certFile });
      const tlsToPlain = await storeFiles({ aeTitle: 'PACS', host: '127.0.0.1', port: plainScp.port }, [objects[2].file], { ...opts, tls }).catch((e) => e);
      expect(tlsToPlain).toBeInstanceOf(StoreNetworkError);
      expect(tlsToPlain.message).toMatch(/TLS connection failed: .*set tls: false on this destination/);
    } finally {
      await tlsScp.stop();
      await plainScp.stop();
    }
  });
});
