import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { readPart10Header } from '../dicom/part10HeaderReader';
import { StoreError, StoreNetworkError, StoreRefusedError, StoreTimeoutError } from './storeErrors';
import type { InstanceStoreResult } from './storeScu';
import { describeStoreStatus, storeOutcomeOf } from './storeStatus';

export interface StowOptions {
  /** Longest wait for the whole request (connect, upload, response). */
  timeoutMs: number;
  /** The Authorization header value, e.g. `Bearer …`. */
  authorization?: string;
}

/** DICOM JSON model (PS3.18 F.2) of the store response's attributes we read. */
type JsonDataset = Record<string, { vr: string; Value?: unknown[] }>;
const FAILED_SOP_SEQUENCE = '00081198';
const REFERENCED_SOP_SEQUENCE = '00081199';
const REFERENCED_SOP_INSTANCE_UID = '00081155';
const FAILURE_REASON = '00081197';
const WARNING_REASON = '00081196';

/**
 * STOW-RS (PS3.18 10.5, Store Transaction): POST `<base>/studies` with the files as one
 * multipart/related request, one application/dicom part each. 200: all stored; 202: some failed or
 * were stored with warnings (the response's Failed SOP Sequence and Warning Reasons say which); 409:
 * none stored. Anything that is not every file delivered throws a typed StoreError, so the export
 * job is retried as a C-STORE one would be; the reason names the HTTP status and the DICOM one.
 */
export async function stowFilesOrThrow(baseUrl: string, files: string[], opts: StowOptions): Promise<InstanceStoreResult[]> {
  const results = await stowFiles(baseUrl, files, opts);
  const failed = results.find((r) => r.outcome === 'failed');
  if (failed) throw new StoreRefusedError(`${baseUrl} refused ${failed.sopInstanceUid}: ${failed.detail}`, baseUrl, failed.status ?? 0xa700, failed.sopInstanceUid);
  return results;
}

/**
 * One STOW-RS request for the files, and each file's outcome. Throws a StoreError only when the
 * request as a whole failed (no answer, refused, an HTTP status other than 200, 202 or 409).
 */
export async function stowFiles(baseUrl: string, files: string[], opts: StowOptions): Promise<InstanceStoreResult[]> {
  const url = `${baseUrl.replace(/\/+$/, '')}/studies`;
  const instances = await Promise.all(
    files.map(async (file) => {
      const { header } = await readPart10Header(file);
      return { file, sopClassUid: header.sopClassUid ?? '', sopInstanceUid: header.sopInstanceUid ?? '' };
    }),
  );
  const boundary = `mammocad-${randomBytes(12).toString('hex')}`;
  const parts = files.flatMap((file) => [Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), fs.readFileSync(file), Buffer.from('\r\n')]);
  const body = Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
        Accept: 'application/dicom+json',
        ...(opts.authorization ? { Authorization: opts.authorization } : {}),
      },
      body,
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (e) {
    const why = describeFetchError(e, opts.timeoutMs);
    throw (e as Error).name === 'TimeoutError' ? new StoreTimeoutError(`${baseUrl}: ${why}`, baseUrl) : new StoreNetworkError(`${baseUrl}: ${why}`, baseUrl);
  }
  const text = await response.text().catch(() => '');
  const http = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (response.status === 401 || response.status === 403) {
    throw new StoreError(`${baseUrl}: ${http}: not authorised (check the destination's authorizationEnv)`, baseUrl);
  }
  if (response.status !== 200 && response.status !== 202 && response.status !== 409) {
    throw new StoreError(`${baseUrl}: ${http}${text ? `: ${text.slice(0, 200)}` : ''}`, baseUrl);
  }
  const answer = parseStoreResponse(text);
  return instances.map((i): InstanceStoreResult => {
    const failure = answer.failed.get(i.sopInstanceUid);
    if (failure !== undefined) return { ...i, status: failure, outcome: 'failed', detail: `${http}, ${describeStoreStatus(failure)}` };
    const warning = answer.warnings.get(i.sopInstanceUid);
    if (warning !== undefined) return { ...i, status: warning, outcome: storeOutcomeOf(warning), detail: `${http}, ${describeStoreStatus(warning)}` };
    if (answer.stored.has(i.sopInstanceUid)) return { ...i, status: 0, outcome: 'delivered', detail: http };
    // 409 names every instance as failed; one it leaves out did not get stored either.
    if (response.status === 409) return { ...i, outcome: 'failed', detail: `${http}: not stored` };
    // A 200 names every instance it stored (PS3.18 10.5.3): one it does not name is not confirmed.
    // Otherwise a sign-in page's or proxy's "200" in front of the service would read as delivered.
    const why = answer.readable
      ? 'the response does not name the instance as stored'
      : `the answer is not a DICOM JSON store response (${response.headers.get('content-type') || 'no Content-Type'})`;
    return { ...i, outcome: 'failed', detail: `${http}, but ${why}: storage not confirmed` };
  });
}

/** Why an HTTP request to a DICOMweb service got no answer: a timeout, the socket error's code, an untrusted certificate. */
export function describeFetchError(e: unknown, timeoutMs: number): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const code = err.cause?.code ?? err.cause?.message ?? err.message;
  const untrusted = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code);
  return untrusted ? `${code}: the server's certificate is not trusted (a hospital's own CA: NODE_EXTRA_CA_CERTS=<its PEM file> in the worker's environment)` : code;
}

interface StoreResponse {
  /** The body was a DICOM JSON object. */
  readable: boolean;
  /** Instances in the Referenced SOP Sequence: stored (some with a warning). */
  stored: Set<string>;
  /** Failure and warning reasons by SOP Instance UID. */
  failed: Map<string, number>;
  warnings: Map<string, number>;
}

/** The Store Instances Response (PS3.18 10.5.3); a body that is not DICOM JSON names nothing. */
function parseStoreResponse(text: string): StoreResponse {
  const answer: StoreResponse = { readable: false, stored: new Set(), failed: new Map(), warnings: new Map() };
  let ds: JsonDataset;
  try {
    const parsed = JSON.parse(text);
    ds = Array.isArray(parsed) ? parsed[0] : parsed;
  } catch {
    return answer;
  }
  if (typeof ds !== 'object' || ds === null) return answer;
  answer.readable = true;
  const items = (tag: string) => (Array.isArray(ds[tag]?.Value) ? ds[tag].Value : []) as JsonDataset[];
  const uidOf = (item: JsonDataset) => String(item?.[REFERENCED_SOP_INSTANCE_UID]?.Value?.[0] ?? '');
  for (const item of items(FAILED_SOP_SEQUENCE)) answer.failed.set(uidOf(item), Number(item?.[FAILURE_REASON]?.Value?.[0] ?? 0x0110));
  for (const item of items(REFERENCED_SOP_SEQUENCE)) {
    answer.stored.add(uidOf(item));
    const reason = item?.[WARNING_REASON]?.Value?.[0];
    if (reason !== undefined) answer.warnings.set(uidOf(item), Number(reason));
  }
  return answer;
}
