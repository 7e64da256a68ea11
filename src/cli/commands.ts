import { Command } from 'commander';
import { registerSendCommand } from './sendCommand';
import { registerAllInOneCommand } from './roles/allInOne';
import { registerReceiverCommand } from './roles/receiver';
import { registerWorkerCommand } from './roles/worker';

/**
 * Every command registers itself here, one line each; the command's code lives in its own file
 * under src/cli/ (roles in src/cli/roles/).
 */
export function registerCommands(program: Command): void {
  void program;
  registerSendCommand(program);
  registerAllInOneCommand(program);
  registerReceiverCommand(program);
  registerWorkerCommand(program);
}
