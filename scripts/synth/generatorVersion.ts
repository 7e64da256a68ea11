import { execFileSync } from 'node:child_process';

/** `mammocad@<commit>` for a dataset's meta.json (the package version outside a checkout). */
export function generatorVersion(): string {
  try {
    return `mammocad@${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()}`;
  } catch {
    return `mammocad@${require('../../package.json').version as string}`;
  }
}
