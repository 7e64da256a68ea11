import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HttpUsers, newPassword, parseUsersFile, userLine } from '../../../src/http/httpUsers';

describe('named HTTP users (http.usersFile)', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-users-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps only a salted scrypt hash, and checks a password against it', async () => {
    const password = newPassword();
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const line = await userLine('dr.smith@breast-unit', password);
    expect(line).toMatch(/^dr\.smith@breast-unit:scrypt:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]{44}$/);
    expect(line).not.toContain(password);
    // The same password gets another salt, so equal passwords do not show in the file.
    expect(await userLine('other', password)).not.toBe(line.replace('dr.smith@breast-unit', 'other'));
    const file = path.join(dir, 'users');
    fs.writeFileSync(file, `# operators\n${line}\n`);
    const users = new HttpUsers(file);
    expect(await users.verify('dr.smith@breast-unit', password)).toBe(true);
    expect(await users.verify('dr.smith@breast-unit', `${password}x`)).toBe(false);
    expect(await users.verify('nobody', password)).toBe(false);
  });

  it('reads the file again when it changes: a removed user is refused even after a recent login', async () => {
    const file = path.join(dir, 'users-changing');
    const [a, b] = [newPassword(), newPassword()];
    fs.writeFileSync(file, `${await userLine('alice', a)}\n${await userLine('bob', b)}\n`);
    const users = new HttpUsers(file);
    expect(await users.verify('alice', a)).toBe(true);
    fs.writeFileSync(file, `${await userLine('bob', b)}\n`);
    expect(await users.verify('alice', a)).toBe(false);
    expect(await users.verify('bob', b)).toBe(true);
    // Unreadable from now on: everyone is refused until it is fixed.
    fs.writeFileSync(file, 'bob:plain:secret\n');
    expect(await users.verify('bob', b)).toBe(false);
  });

  it('names the line and what it expects when the file is malformed, and refuses bad names', async () => {
    expect(() => parseUsersFile('ok:scrypt:c2FsdA==:aGFzaA==\nbob:secret\n')).toThrow('line 2: expected name:scrypt:<salt>:<hash> (written by mammocad http-user add)');
    expect(() => new HttpUsers(path.join(dir, 'missing'))).toThrow(`http.usersFile ${path.join(dir, 'missing')}: ENOENT`);
    const bad = path.join(dir, 'bad');
    fs.writeFileSync(bad, 'x y:scrypt:a:b\n');
    expect(() => new HttpUsers(bad)).toThrow(`http.usersFile ${bad}: line 1: expected name:scrypt:<salt>:<hash> (written by mammocad http-user add)`);
    await expect(userLine('has space', 'pw')).rejects.toThrow('user name "has space": letters, digits and . _ @ - only, at most 64');
  });
});
