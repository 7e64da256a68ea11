import { Command } from 'commander';
import { registerSendCommand } from './sendCommand';
import { registerCheckDestinationsCommand } from './checkDestinationsCommand';
import { registerStudyCommand } from './studyCommand';
import { registerRerunCommand } from './rerunCommand';
import { registerDeadLettersCommand } from './deadLettersCommand';
import { registerAllInOneCommand } from './roles/allInOne';
import { registerReceiverCommand } from './roles/receiver';
import { registerWorkerCommand } from './roles/worker';
import { registerRenderCommand } from './renderCommand';
import { registerPruneCommand } from './pruneCommand';
import { registerHealthcheckCommand } from './healthcheckCommand';
import { registerHttpUserCommand } from './httpUserCommand';

/**
 * Every command registers itself here, one line each; the command's code lives in its own file
 * under src/cli/ (roles in src/cli/roles/).
 */
export function registerCommands(program: Command): void {
  void program;
  registerSendCommand(program);
  registerCheckDestinationsCommand(program);
  registerStudyCommand(program);
  registerRerunCommand(program);
  registerDeadLettersCommand(program);
  registerAllInOneCommand(program);
  registerReceiverCommand(program);
  registerWorkerCommand(program);
  registerRenderCommand(program);
  registerPruneCommand(program);
  registerHealthcheckCommand(program);
  registerHttpUserCommand(program);
}
