import { createHash, randomBytes, scrypt, timingSafeEqual } from 'crypto';
import * as fs from 'fs';

/**
 * Named accounts for the HTTP endpoints (config http.usersFile), so that an audit message says who
 * viewed an image, not only from which address. One line per user, `name:scrypt:<salt>:<hash>`
 * (base64; scrypt with Node's defaults N = 16384, r = 8, p = 1, 32-byte key); `#` starts a comment.
 * Written by `mammocad http-user`; the node reads it again whenever it changes.
 */

export const USER_NAME = /^[A-Za-z0-9._@-]{1,64}$/;
const KEY_LENGTH = 32;
/** A verified name and password is trusted this long without scrypt again (a page loads many thumbnails). */
const VERIFIED_MS = 5 * 60_000;

export interface UserEntry {
  salt: Buffer;
  hash: Buffer;
}

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, KEY_LENGTH, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Reads a users file; a malformed line is an error naming its number. */
export function parseUsersFile(text: string): Map<string, UserEntry> {
  const users = new Map<string, UserEntry>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [name, scheme, salt, hash, ...rest] = line.split(':');
    if (!USER_NAME.test(name) || scheme !== 'scrypt' || !salt || !hash || rest.length > 0)
      throw new Error(`line ${i + 1}: expected name:scrypt:<salt>:<hash> (written by mammocad http-user add)`);
    users.set(name, { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') });
  });
  return users;
}

/** The line for a user with a new password. */
export async function userLine(name: string, password: string): Promise<string> {
  if (!USER_NAME.test(name)) throw new Error(`user name "${name}": letters, digits and . _ @ - only, at most 64`);
  const salt = randomBytes(16);
  return `${name}:scrypt:${salt.toString('base64')}:${(await derive(password, salt)).toString('base64')}`;
}

/** A password to hand out: 24 random characters. */
export function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Checks names and passwords against the users file, read again when its modification time or size
 * changes (a user removed is refused from then on).
 */
export class HttpUsers {
  private users = new Map<string, UserEntry>();
  private stamp = '';
  private readonly verified = new Map<string, number>();

  constructor(private readonly file: string) {
    this.reloadIfChanged();
  }

  /** Throws when the file cannot be read or parsed: at start-up that stops the role with the reason. */
  private reloadIfChanged(): void {
    try {
      const stat = fs.statSync(this.file);
      const stamp = `${stat.mtimeMs}:${stat.size}`;
      if (stamp === this.stamp) return;
      this.users = parseUsersFile(fs.readFileSync(this.file, 'utf8'));
      this.stamp = stamp;
      this.verified.clear();
    } catch (err) {
      throw new Error(`http.usersFile ${this.file}: ${(err as Error).message}`);
    }
  }

  /** True when `password` is `name`'s. A file that became unreadable refuses everyone until fixed. */
  async verify(name: string, password: string): Promise<boolean> {
    try {
      this.reloadIfChanged();
    } catch {
      return false;
    }
    const entry = this.users.get(name);
    if (!entry) return false;
    const key = createHash('sha256').update(`${name}\0${password}`).digest('hex');
    if ((this.verified.get(key) ?? 0) > Date.now()) return true;
    const derived = await derive(password, entry.salt);
    const ok = derived.length === entry.hash.length && timingSafeEqual(derived, entry.hash);
    if (ok) this.verified.set(key, Date.now() + VERIFIED_MS);
    return ok;
  }
}
