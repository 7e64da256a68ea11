import { Command } from 'commander';
import { rerunStudy } from '../pipeline/rerunStudy';
import { withOperatorSession } from './operatorSession';
import { uidArgument } from './argumentParsers';

/** `mammocad rerun <StudyUID>`: analyse every image again, rebuild and re-export the objects. */
export function registerRerunCommand(program: Command): void {
  program
    .command('rerun')
    .description('analyse a study again and send fresh objects (same UIDs: destinations replace the old ones)')
    .argument('<studyUid>', 'Study Instance UID', uidArgument)
    .option('--force', 'rerun even while the study is still receiving or reporting (for a study stuck there)')
    .action(async (studyUid: string, options: { force?: boolean }) => {
      const count = await withOperatorSession((s) =>
        rerunStudy(s.queue, s.state, s.config.pipeline.settleSeconds * 1000, studyUid, { force: options.force }),
      );
      process.stdout.write(`study ${studyUid}: ${count} image(s) queued for analysis again\n`);
    });
}
