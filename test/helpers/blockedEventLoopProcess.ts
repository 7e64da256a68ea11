/**
 * A process that starts the event loop watchdog (argv: limit in seconds), then blocks its event loop
 * synchronously for argv[3] ms (-1: for ever), as a codec looping on a damaged stream would.
 */
import { startEventLoopWatchdog } from '../../src/runtime/eventLoopWatchdog';

const [limitSeconds, blockMs] = process.argv.slice(2).map(Number);
startEventLoopWatchdog(limitSeconds, 'test');
// Let the watching thread start and see the loop turn first.
setTimeout(() => {
  process.stdout.write('blocking\n');
  const until = blockMs < 0 ? Infinity : Date.now() + blockMs;
  while (Date.now() < until);
  process.stdout.write('unblocked\n');
}, 300);
