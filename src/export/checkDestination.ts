import { constants, requests, responses } from 'dcmjs-dimse';
import type { ReportObjectKind } from '../queue/jobTypes';
import type { ExportDestination } from './destinations';
import { describeStoreStatus } from './storeStatus';
import { describeFetchError } from './stowRs';
import { KEY_OBJECT_SELECTION_SOP_CLASS } from '../rejection/rejectionNote';
import { oneRequestAssociation, type OneRequestEnd } from './oneRequestAssociation';
import { CAD_OBJECT_SOP_CLASSES, describeRejection } from './storeScu';
import type { TlsClientOptions } from '../tls/tlsOptions';

/** What a go-live check of one destination found: one line per fact, and whether exports can work. */
export interface DestinationCheck {
  destination: string;
  ok: boolean;
  lines: string[];
}

export interface CheckOptions {
  callingAeTitle: string;
  timeoutMs: number;
  tls?: TlsClientOptions;
  authorization?: string;
}

const CLASS_NAMES: Record<string, string> = {
  '1.2.840.10008.5.1.4.1.1.88.50': 'Mammography CAD SR',
  '1.2.840.10008.5.1.4.1.1.88.33': 'Comprehensive SR',
  '1.2.840.10008.5.1.4.1.1.11.1': 'Grayscale Softcopy Presentation State',
  [KEY_OBJECT_SELECTION_SOP_CLASS]: 'Key Object Selection (our rejection notes)',
};
const CLASS_OF_OBJECT: Record<ReportObjectKind, string> = {
  mammoCadSr: '1.2.840.10008.5.1.4.1.1.88.50',
  tid1500Sr: '1.2.840.10008.5.1.4.1.1.88.33',
  gsps: '1.2.840.10008.5.1.4.1.1.11.1',
};

/**
 * Checks a destination without sending anything: a C-STORE peer gets an association proposing
 * Verification and every class we send, and a C-ECHO (the answer says which classes it takes); a
 * DICOMweb service gets a QIDO-RS `GET <url>/studies?limit=1` with our Authorization header.
 */
export function checkDestination(destination: ExportDestination, opts: CheckOptions): Promise<DestinationCheck> {
  return destination.kind === 'stow' ? checkStow(destination.url, opts) : checkDimse(destination, opts);
}

async function checkDimse(d: Extract<ExportDestination, { kind: 'dimse' }>, opts: CheckOptions): Promise<DestinationCheck> {
  const echo = new requests.CEchoRequest();
  let echoStatus: number | undefined;
  echo.on('response', (r: responses.CEchoResponse) => (echoStatus = Number(r.getStatus())));
  const end = await oneRequestAssociation(d, echo, {
    callingAeTitle: opts.callingAeTitle,
    timeoutMs: opts.timeoutMs,
    extraSopClasses: CAD_OBJECT_SOP_CLASSES,
    ...(d.tls && opts.tls ? { tls: opts.tls } : {}),
  });
  if (end.kind !== 'closed' || !end.accepted) return { destination: d.label, ok: false, lines: [describeEnd(end, opts.timeoutMs)] };
  const lines = ['association accepted', echoStatus === undefined ? 'C-ECHO: no answer' : `C-ECHO: ${describeStoreStatus(echoStatus)}`];
  const taken = new Set(
    end.accepted
      .getPresentationContexts()
      .filter(({ context }) => context.getResult() === constants.PresentationContextResult.Accept)
      .map(({ context }) => context.getAbstractSyntaxUid()),
  );
  const needed = new Set(d.objects.map((o) => CLASS_OF_OBJECT[o]));
  for (const sopClass of CAD_OBJECT_SOP_CLASSES) {
    let use = '';
    if (sopClass === KEY_OBJECT_SELECTION_SOP_CLASS) use = ' (needed only to withdraw objects after rejection notes)';
    else if (!needed.has(sopClass)) use = ' (not sent to this destination)';
    lines.push(`${CLASS_NAMES[sopClass]}: ${taken.has(sopClass) ? 'accepted' : 'NOT accepted'}${use}`);
  }
  const ok = echoStatus === 0 && [...needed].every((c) => taken.has(c));
  return { destination: d.label, ok, lines };
}

function describeEnd(end: OneRequestEnd, timeoutMs: number): string {
  if (end.kind === 'rejected') return `association rejected: ${describeRejection(end)}`;
  if (end.kind === 'networkError') return end.message;
  if (end.kind === 'timeout') return `no answer within ${timeoutMs} ms`;
  return 'closed before accepting an association';
}

async function checkStow(url: string, opts: CheckOptions): Promise<DestinationCheck> {
  const query = `${url.replace(/\/+$/, '')}/studies?limit=1`;
  try {
    const res = await fetch(query, {
      headers: { Accept: 'application/dicom+json', ...(opts.authorization ? { Authorization: opts.authorization } : {}) },
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    const http = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
    const type = res.headers.get('content-type') ?? '';
    // 204: no study yet. Any other success must be DICOM JSON: a sign-in page in front of the service also says 200.
    if (res.ok && res.status !== 204 && !/json/i.test(type))
      return {
        destination: url,
        ok: false,
        lines: [`QIDO-RS GET /studies?limit=1: ${http} with ${type || 'no Content-Type'}: not a DICOMweb answer (a sign-in page or proxy in front of the service?)`],
      };
    if (res.ok) return { destination: url, ok: true, lines: [`QIDO-RS GET /studies?limit=1: ${http}: reachable and authorised`] };
    if (res.status === 401 || res.status === 403)
      return { destination: url, ok: false, lines: [`QIDO-RS GET /studies?limit=1: ${http}: not authorised (check authorizationEnv)`] };
    return {
      destination: url,
      ok: false,
      lines: [`QIDO-RS GET /studies?limit=1: ${http}: reachable, but not a DICOMweb base URL that answers queries (a STOW-only service: try mammocad send with one object)`],
    };
  } catch (e) {
    return { destination: url, ok: false, lines: [describeFetchError(e, opts.timeoutMs)] };
  }
}
