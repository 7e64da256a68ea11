import { Command } from 'commander';
import { listDeadLetters, retryDeadLetter } from '../queue/deadLetters';
import { withOperatorSession } from './operatorSession';

/** `mammocad dead-letters list` / `mammocad dead-letters retry [id]` (no id: all of them). */
export function registerDeadLettersCommand(program: Command): void {
  const command = program.command('dead-letters').description('jobs that failed after every retry, with the reason');
  command
    .command('list')
    .option('--json', 'print JSON', false)
    .action(async (o: { json: boolean }) => {
      const letters = await withOperatorSession((s) => listDeadLetters(s.queue));
      if (o.json) {
        process.stdout.write(JSON.stringify(letters, null, 2) + '\n');
        return;
      }
      for (const { id, letter } of letters) {
        const about = 'studyUid' in letter.payload ? ` study ${letter.payload.studyUid}` : '';
        process.stdout.write(`${id}  ${letter.failedAt}  ${letter.jobName}${about}  after ${letter.attemptsMade} attempt(s): ${letter.reason}\n`);
      }
      process.stdout.write(`${letters.length} dead letter(s)\n`);
    });
  command
    .command('retry')
    .argument('[id]', 'dead-letter id (from list); all when omitted')
    .action(async (id?: string) => {
      // An empty id (an unset shell variable) must not mean "all".
      if (id !== undefined && id.trim() === '') throw new Error('dead-letters retry: the id is empty (omit it to retry all)');
      await withOperatorSession(async (s) => {
        const ids = id !== undefined ? [id] : (await listDeadLetters(s.queue)).map((l) => l.id);
        for (const one of ids) process.stdout.write(`${one}: ${await retryDeadLetter(s.queue, one)}\n`);
        process.stdout.write(`${ids.length} dead letter(s) retried\n`);
      });
    });
}
