import type { ActiveParticipant, AuditCode, AuditMessage, AuditOutcome, ParticipantObject } from './auditMessage';

/**
 * The audit events the node reports (PS3.15 A.5.3; codes from PS3.16 CID 400-404 and RFC 3881),
 * each as one function from what happened to the message.
 */
const dcm = (code: string, meaning: string): AuditCode => ({ code, scheme: 'DCM', meaning });

export const AUDIT_CODES = {
  applicationActivity: dcm('110100', 'Application Activity'),
  instancesAccessed: dcm('110103', 'DICOM Instances Accessed'),
  instancesTransferred: dcm('110104', 'DICOM Instances Transferred'),
  studyDeleted: dcm('110105', 'DICOM Study Deleted'),
  securityAlert: dcm('110113', 'Security Alert'),
  userAuthentication: dcm('110114', 'User Authentication'),
  applicationStart: dcm('110120', 'Application Start'),
  applicationStop: dcm('110121', 'Application Stop'),
  login: dcm('110122', 'Login'),
  nodeAuthentication: dcm('110126', 'Node Authentication'),
  application: dcm('110150', 'Application'),
  applicationLauncher: dcm('110151', 'Application Launcher'),
  destination: dcm('110152', 'Destination Role ID'),
  source: dcm('110153', 'Source Role ID'),
  studyInstanceUid: dcm('110180', 'Study Instance UID'),
  nodeId: dcm('110182', 'Node ID'),
  patientNumber: { code: '2', scheme: 'RFC-3881', meaning: 'Patient Number' },
  /** AuditSourceTypeCode 4 (RFC 3881 5.4.3): the node is an application server process. */
  applicationServer: { code: '4', scheme: 'RFC-3881', meaning: 'Application Server process or thread' },
} as const;

/** Who reports: this process of the node. */
export interface AuditSelf {
  aeTitle: string;
  /** AuditSourceID: the configured one, else the AE title. */
  sourceId: string;
  enterpriseSiteId?: string;
  hostname: string;
  /** e.g. "mammocad receiver": the UserName of this process. */
  processName: string;
  pid: number;
}

/** The other end of a transfer: a DICOM peer (AE title and address) or a DICOMweb service (URL). */
export type AuditPeer = { aeTitle: string; address: string } | { url: string };

/** What the participant objects of a transfer or deletion say about one study. */
export interface AuditedStudy {
  studyUid: string;
  sopClasses: { uid: string; instances: number }[];
  accessionNumber?: string;
  patient?: { id: string; issuer?: string; name?: string };
}

/** SOP class UIDs counted, as a study participant object lists them. */
export function countSopClasses(uids: Iterable<string>): AuditedStudy['sopClasses'] {
  const counts = new Map<string, number>();
  for (const uid of uids) counts.set(uid, (counts.get(uid) ?? 0) + 1);
  return [...counts].map(([uid, instances]) => ({ uid, instances }));
}

function selfParticipant(self: AuditSelf, userIsRequestor: boolean, roles: AuditCode[]): ActiveParticipant {
  return {
    userId: String(self.pid),
    alternativeUserId: `AETITLES=${self.aeTitle}`,
    userName: self.processName,
    userIsRequestor,
    networkAccessPoint: { id: self.hostname, type: 1 },
    roles,
  };
}

/** PS3.15 A.5.2.2: a DICOM application's AE titles go to AlternativeUserID as AETITLES=. */
function peerParticipant(peer: AuditPeer, userIsRequestor: boolean, roles: AuditCode[]): ActiveParticipant {
  if ('url' in peer) {
    const host = new URL(peer.url).hostname.replace(/^\[|\]$/g, '');
    return { userId: peer.url, userIsRequestor, networkAccessPoint: { id: host, type: isIpAddress(host) ? 2 : 1 }, roles };
  }
  const address = peer.address.replace(/^::ffff:/, '');
  return {
    userId: peer.aeTitle || address,
    ...(peer.aeTitle && { alternativeUserId: `AETITLES=${peer.aeTitle}` }),
    userIsRequestor,
    ...(address && { networkAccessPoint: { id: address, type: isIpAddress(address) ? 2 : 1 } }),
    roles,
  };
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** An HTTP client: the named user when it logged in as one (http.usersFile), else its address. */
function httpClientParticipant(remoteAddress: string, user?: string): ActiveParticipant {
  const address = remoteAddress.replace(/^::ffff:/, '');
  return { userId: user || address || '(unknown)', userIsRequestor: true, ...(address && { networkAccessPoint: { id: address, type: 2 as const } }), roles: [] };
}

/** The study and, when its images name one, the patient (Patient ID as HL7 CX: id^^^issuer). */
function studyObjects(study: AuditedStudy, dataLifeCycle?: number): ParticipantObject[] {
  const objects: ParticipantObject[] = [
    {
      id: study.studyUid,
      typeCode: 2,
      typeCodeRole: 3,
      dataLifeCycle,
      idTypeCode: AUDIT_CODES.studyInstanceUid,
      accessionNumbers: study.accessionNumber ? [study.accessionNumber] : [],
      sopClasses: study.sopClasses,
    },
  ];
  const patient = study.patient;
  if (patient?.id)
    objects.push({
      id: patient.issuer ? `${patient.id}^^^${patient.issuer}` : patient.id,
      typeCode: 1,
      typeCodeRole: 1,
      idTypeCode: AUDIT_CODES.patientNumber,
      name: patient.name,
    });
  return objects;
}

function message(self: AuditSelf, event: AuditMessage['event'], participants: ActiveParticipant[], objects: ParticipantObject[]): AuditMessage {
  return {
    event,
    participants,
    source: { id: self.sourceId, enterpriseSiteId: self.enterpriseSiteId, typeCode: AUDIT_CODES.applicationServer },
    objects,
  };
}

/** PS3.15 A.5.3 "Application Activity": a role of the node started or stopped; the OS user who launched it is the requestor. */
export function applicationActivity(self: AuditSelf, what: 'start' | 'stop', launcher: string, at = new Date()): AuditMessage {
  return message(
    self,
    {
      id: AUDIT_CODES.applicationActivity,
      action: 'E',
      dateTime: at,
      outcome: 0,
      types: [what === 'start' ? AUDIT_CODES.applicationStart : AUDIT_CODES.applicationStop],
    },
    [
      selfParticipant(self, false, [AUDIT_CODES.application]),
      { userId: launcher, userIsRequestor: true, roles: [AUDIT_CODES.applicationLauncher] },
    ],
    [],
  );
}

export interface TransferOutcome {
  outcome: AuditOutcome;
  description?: string;
}

/**
 * PS3.15 A.5.3 "DICOM Instances Transferred", as the receiving end: a sender stored instances of one study with us during one
 * association. Create for new instances, Update for corrected copies that replaced stored ones;
 * without a study when the instances were refused before it was known.
 */
export function instancesReceived(
  self: AuditSelf,
  sender: AuditPeer,
  study: AuditedStudy | undefined,
  result: TransferOutcome & { action: 'C' | 'U' },
  at = new Date(),
): AuditMessage {
  return message(
    self,
    { id: AUDIT_CODES.instancesTransferred, action: result.action, dateTime: at, outcome: result.outcome, outcomeDescription: result.description },
    [peerParticipant(sender, true, [AUDIT_CODES.source]), selfParticipant(self, false, [AUDIT_CODES.destination])],
    study ? studyObjects(study, 1) : [],
  );
}

/** "DICOM Instances Transferred", as the sending end: our objects of one study sent to a destination (Read). */
export function instancesSent(self: AuditSelf, destination: AuditPeer, study: AuditedStudy, result: TransferOutcome, at = new Date()): AuditMessage {
  return message(
    self,
    { id: AUDIT_CODES.instancesTransferred, action: 'R', dateTime: at, outcome: result.outcome, outcomeDescription: result.description },
    [selfParticipant(self, true, [AUDIT_CODES.source]), peerParticipant(destination, false, [AUDIT_CODES.destination])],
    studyObjects(study),
  );
}

/**
 * The node deleted what it held of a study: all of it ("DICOM Study Deleted", retention), or some
 * instances ("DICOM Instances Accessed", Delete: a rejection note, a move to another study), as
 * PS3.15 A.5.3 tells the two apart.
 */
export function instancesDeleted(self: AuditSelf, scope: 'study' | 'instances', study: AuditedStudy, reason: string, at = new Date()): AuditMessage {
  return message(
    self,
    {
      id: scope === 'study' ? AUDIT_CODES.studyDeleted : AUDIT_CODES.instancesAccessed,
      action: 'D',
      dateTime: at,
      outcome: 0,
      outcomeDescription: reason,
    },
    [selfParticipant(self, true, [AUDIT_CODES.application])],
    studyObjects(study, 14),
  );
}

/**
 * PS3.15 A.5.3 "Security Alert" (Node Authentication): a peer failed node authentication: its association was refused by the allow lists, or
 * its TLS handshake failed. The alert subject is the peer's address.
 */
export function nodeAuthenticationFailed(self: AuditSelf, peer: { aeTitle: string; address: string }, reason: string, at = new Date()): AuditMessage {
  const address = peer.address.replace(/^::ffff:/, '');
  return message(
    self,
    { id: AUDIT_CODES.securityAlert, action: 'E', dateTime: at, outcome: 4, outcomeDescription: reason, types: [AUDIT_CODES.nodeAuthentication] },
    [selfParticipant(self, false, [AUDIT_CODES.application]), peerParticipant(peer, true, [])],
    [{ id: address || '(unknown)', typeCode: 2, typeCodeRole: 13, idTypeCode: AUDIT_CODES.nodeId, description: reason }],
  );
}

/** "DICOM Instances Accessed" (Read): an image viewed on the status page. */
export function instancesViewed(self: AuditSelf, viewer: { address: string; path: string; user?: string }, study: AuditedStudy, at = new Date()): AuditMessage {
  return message(
    self,
    { id: AUDIT_CODES.instancesAccessed, action: 'R', dateTime: at, outcome: 0, outcomeDescription: `viewed: ${viewer.path}` },
    [httpClientParticipant(viewer.address, viewer.user), selfParticipant(self, false, [AUDIT_CODES.application])],
    studyObjects(study, 6),
  );
}

/** PS3.15 A.5.3 "User Authentication" (Login): an HTTP request carried no valid token (a failed login to the node's API). */
export function loginFailed(self: AuditSelf, client: { address: string; path: string; user?: string }, at = new Date()): AuditMessage {
  return message(
    self,
    {
      id: AUDIT_CODES.userAuthentication,
      action: 'E',
      dateTime: at,
      outcome: 4,
      outcomeDescription: client.user ? `login as ${client.user} refused for ${client.path}` : `no valid bearer token for ${client.path}`,
      types: [AUDIT_CODES.login],
    },
    [httpClientParticipant(client.address, client.user), selfParticipant(self, false, [AUDIT_CODES.application])],
    [],
  );
}
