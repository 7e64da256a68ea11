import loglevel from 'loglevel';
import { logger } from '../log/logger';

let bridged = false;

/**
 * dcmjs-dimse (and dcmjs) log through the root loglevel logger, at INFO for every PDU. Send all of
 * it to winston at debug so it follows our format and level; the receiver logs its own decisions
 * at info. Idempotent.
 */
export function bridgeDimseLogging(): void {
  if (bridged) return;
  bridged = true;
  loglevel.methodFactory = (methodName) => {
    return (...args: unknown[]) => {
      if (logger.isDebugEnabled())
        logger.debug(args.map(String).join(' '), { source: 'dcmjs-dimse', libraryLevel: methodName });
    };
  };
  loglevel.setLevel('trace', false);
  loglevel.rebuild();
}
