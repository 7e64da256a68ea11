import { Command } from 'commander';
import { pruneStudies } from '../pipeline/pruneStudies';
import { decimalArgument } from './argumentParsers';
import { withOperatorSession } from './operatorSession';

const DAY_MS = 24 * 60 * 60 * 1000;

// A plain decimal only: an empty shell variable must not prune every finished study.
const days = decimalArgument('a number of days (0 or more)');

/** `mammocad prune --older-than-days N`: the retention housekeeping of spool, outputs and Redis. */
export function registerPruneCommand(program: Command): void {
  program
    .command('prune')
    .description('remove studies last active more than N days ago from the spool, the outputs and Redis')
    .requiredOption('--older-than-days <days>', 'retention in days', days)
    .option('--dry-run', 'list what would be removed, remove nothing')
    .action(async (opts: { olderThanDays: number; dryRun?: boolean }) => {
      const result = await withOperatorSession((s) =>
        pruneStudies({
          dataDir: s.config.dataDir,
          state: s.state,
          index: s.index,
          olderThanMs: opts.olderThanDays * DAY_MS,
          dryRun: opts.dryRun,
        }),
      );
      for (const uid of result.pruned)
        process.stdout.write(`${opts.dryRun ? 'would prune' : 'pruned'} ${uid}\n`);
      for (const k of result.kept) process.stdout.write(`kept ${k.studyUid}: ${k.why}\n`);
      const mb = (result.freedBytes / 1e6).toFixed(1);
      process.stdout.write(
        `${result.pruned.length} studies ${opts.dryRun ? 'would be pruned' : 'pruned'} (${mb} MB), ${result.kept.length} kept\n`,
      );
    });
}
