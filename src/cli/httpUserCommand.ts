import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { loadConfig } from '../config/loadConfig';
import { newPassword, parseUsersFile, userLine } from '../http/httpUsers';

/** The users file named by http.usersFile, which these commands write. */
function usersFile(): string {
  const file = loadConfig().http.usersFile;
  if (!file) throw new Error('http-user: set http.usersFile (MAMMOCAD_HTTP_USERS_FILE) to the file the node reads its users from');
  return file;
}

/** The file's lines without `name`'s; checks the rest still parses. */
function linesWithout(file: string, name: string): string[] {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  parseUsersFile(text);
  return text.split('\n').filter((line) => line.trim() !== '' && line.split(':')[0] !== name);
}

/** Replaces the file in one step (the node may read it at any moment), readable by its owner only. */
function writeUsers(file: string, lines: string[]): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(temp, lines.map((l) => `${l}\n`).join(''), { mode: 0o600 });
  fs.renameSync(temp, file);
}

/**
 * `mammocad http-user add|remove|list`: named accounts for the HTTP endpoints. `add` creates a user
 * (or gives one a new password) and prints the password once; the file keeps only its scrypt hash.
 */
export function registerHttpUserCommand(program: Command): void {
  const command = program.command('http-user').description('named users of the HTTP endpoints (http.usersFile): add, remove, list');
  command
    .command('add <name>')
    .description('add a user, or give one a new password; prints the password once')
    .action(async (name: string) => {
      const file = usersFile();
      const password = newPassword();
      writeUsers(file, [...linesWithout(file, name), await userLine(name, password)]);
      process.stdout.write(`password for ${name}: ${password}\n`);
    });
  command
    .command('remove <name>')
    .description('remove a user; the node refuses them from its next request')
    .action((name: string) => {
      const file = usersFile();
      const kept = linesWithout(file, name);
      if (!fs.existsSync(file) || !parseUsersFile(fs.readFileSync(file, 'utf8')).has(name)) throw new Error(`http-user remove: no user ${name} in ${file}`);
      writeUsers(file, kept);
      process.stdout.write(`removed ${name}\n`);
    });
  command
    .command('list')
    .description('the user names')
    .action(() => {
      const file = usersFile();
      const users = fs.existsSync(file) ? [...parseUsersFile(fs.readFileSync(file, 'utf8')).keys()] : [];
      process.stdout.write(users.map((u) => `${u}\n`).join(''));
    });
}
