/** A role that takes 1.5 s to start, run by runRole: for what a signal during the start does. */
import { runRole } from '../../src/cli/roles/roleLifecycle';

process.stdout.write('starting\n');
void runRole('slow', async () => {
  await new Promise((r) => setTimeout(r, 1500));
  process.stdout.write('started\n');
  return { stop: async () => void process.stdout.write('role stopped\n') };
});
