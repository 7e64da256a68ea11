import * as os from 'os';
import type { Config } from '../config/schema';
import { tlsOptionsFromConfig } from '../tls/tlsOptions';
import { logger } from '../log/logger';
import { applicationActivity, type AuditSelf } from './auditEvents';
import { auditMessageXml, type AuditMessage } from './auditMessage';
import { syslogMessage } from './syslogMessage';
import { parseAuditRepository } from './auditRepository';
import { createSyslogSender, type SyslogSender } from './syslogSender';

/**
 * The node's audit trail (IHE ATNA Secure Node; DICOM PS3.15 A.5): where audit.repository is set,
 * each process reports its start and stop, the studies it received and sent, the studies it deleted
 * and the peers it refused, to the hospital's Audit Record Repository. Audit messages name the
 * patient (that is their purpose); they go to the repository only, never to the log. One per
 * process, like the logger: started by the role, used wherever an event happens.
 */
interface Trail {
  self: AuditSelf;
  sender: SyslogSender;
}

let trail: Trail | undefined;

export function auditEnabled(): boolean {
  return trail !== undefined;
}

/** Starts the trail of this process; does nothing without audit.repository. */
export function startAuditTrail(config: Config, processName: string): void {
  if (!config.audit.repository || trail) return;
  const repository = parseAuditRepository(config.audit.repository);
  trail = {
    self: {
      aeTitle: config.aeTitle,
      sourceId: config.audit.sourceId || config.aeTitle,
      enterpriseSiteId: config.audit.enterpriseSiteId || undefined,
      hostname: os.hostname(),
      processName,
      pid: process.pid,
    },
    sender: createSyslogSender(repository, () => tlsOptionsFromConfig(config.tls)),
  };
}

/** Lets the messages still being built finish, sends what waits (at most `timeoutMs` in all), and closes. */
export async function stopAuditTrail(timeoutMs = 3000): Promise<void> {
  const current = trail;
  if (!current) return;
  const deadline = Date.now() + timeoutMs;
  await Promise.race([Promise.allSettled([...building]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  trail = undefined;
  await current.sender.close(Math.max(0, deadline - Date.now()));
}

/** "Application Activity": a role of the node started, or is stopping; the OS user who launched it is named. */
export function auditApplicationActivity(what: 'start' | 'stop'): void {
  audit((self) => applicationActivity(self, what, launcher()));
}

/**
 * Reports one event. `build` runs only with a trail (it may read a file for the patient); a failure
 * to build is logged, never thrown: auditing must not fail the work it records.
 */
export function audit(build: (self: AuditSelf) => AuditMessage | Promise<AuditMessage>): void {
  const current = trail;
  if (!current) return;
  const done = (async () => deliver(current, await build(current.self)))()
    .catch((e: Error) => void logger.warn('audit message not built', { error: e.message }))
    .finally(() => building.delete(done));
  building.add(done);
}

/** Messages whose build (a file read for the patient) has not finished: a stop waits for them. */
const building = new Set<Promise<void>>();

function deliver(t: Trail, message: AuditMessage): void {
  const origin = { hostname: t.self.hostname, appName: 'mammocad', procId: String(t.self.pid) };
  t.sender.send(syslogMessage(auditMessageXml(message), origin, message.event.dateTime));
}

function launcher(): string {
  try {
    return os.userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}
