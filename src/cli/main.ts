#!/usr/bin/env node
import { Command } from 'commander';
import { registerCommands } from './commands';
import { bridgeDicomLibraryLogging } from '../log/dicomLibraryLogBridge';

/** `mammocad <command>`: the process roles (all-in-one, receiver, worker) and operator commands. */
const program = new Command('mammocad').description('DICOM CAD node for breast screening');
// An extra argument is a mistake (a second UID, a stray value), not something to ignore.
program.allowExcessArguments(false);
registerCommands(program);
// Every command, not only the roles: `send` of a file dcmjs reads leniently would print its stack
// trace and private tags' bytes to the console.
bridgeDicomLibraryLogging();
program.parseAsync(process.argv).catch((err: Error) => {
  process.stderr.write(`mammocad: ${err.message}\n`);
  process.exit(1);
});
