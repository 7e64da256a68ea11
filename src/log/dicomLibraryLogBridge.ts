import loglevel from 'loglevel';
import { logger } from './logger';

// dcmjs ships no type declarations.
const dcmjs: { log: LibraryLog } = require('dcmjs');

let bridged = false;

/** The subset of a loglevel logger the bridge rewires. */
interface LibraryLog {
  methodFactory: (methodName: string, level: unknown, loggerName: unknown) => (...args: unknown[]) => void;
  setLevel(level: 'trace', persist: boolean): void;
  rebuild(): void;
}

/** Sends every call of one library's logger to winston at debug, named by its source. */
function bridge(log: LibraryLog, source: string): void {
  log.methodFactory = (methodName) => {
    return (...args: unknown[]) => {
      if (logger.isDebugEnabled()) logger.debug(args.map(String).join(' '), { source, libraryLevel: methodName });
    };
  };
  log.setLevel('trace', false);
  log.rebuild();
}

/**
 * dcmjs-dimse logs through the root loglevel logger, at INFO for every PDU; dcmjs through its own
 * bundled copy of loglevel, which prints a lenient read's recovered error with its stack straight
 * to the console (a Hologic file with a VR UN sequence, a truncated file). Send both to winston at
 * debug so they follow our JSON format and level; the receiver and worker log their own decisions,
 * with the reason, at info. Idempotent; every role calls it at start.
 */
export function bridgeDicomLibraryLogging(): void {
  if (bridged) return;
  bridged = true;
  bridge(loglevel as unknown as LibraryLog, 'dcmjs-dimse');
  bridge(dcmjs.log, 'dcmjs');
}
