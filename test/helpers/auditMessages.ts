import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SCHEMA = path.join(__dirname, 'auditMessageSchema.rng');

/** xmllint's RELAX NG check of audit message XML against the PS3.15 A.5.1 schema: '' when valid, else its complaint. */
export function auditSchemaErrors(xml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-auditxml-'));
  const file = path.join(dir, 'message.xml');
  fs.writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--relaxng', SCHEMA, file], { stdio: 'pipe' });
    return '';
  } catch (e) {
    return String((e as { stderr: Buffer }).stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The EventID code and action of an audit message, e.g. "110104 C". */
export function eventOf(xml: string): string {
  const action = /EventActionCode="(\w)"/.exec(xml)?.[1] ?? '';
  const id = /<EventID csd-code="(\d+)"/.exec(xml)?.[1] ?? '';
  return `${id} ${action}`;
}
