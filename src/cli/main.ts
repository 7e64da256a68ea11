#!/usr/bin/env node
import { Command } from 'commander';
import { registerCommands } from './commands';

/** `mammocad <command>`: the process roles (all-in-one, receiver, worker) and operator commands. */
const program = new Command('mammocad').description('DICOM CAD node for breast screening');
// An extra argument is a mistake (a second UID, a stray value), not something to ignore.
program.allowExcessArguments(false);
registerCommands(program);
program.parseAsync(process.argv).catch((err: Error) => {
  process.stderr.write(`mammocad: ${err.message}\n`);
  process.exit(1);
});
