import winston from 'winston';

/**
 * JSON-lines logger. Rule for every caller: no patient names or IDs at info level or above;
 * UIDs, AE titles, addresses, sizes and reasons are fine.
 */
export const logger = winston.createLogger({
  level: process.env.MAMMOCAD_LOG_LEVEL || 'info',
  format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
  defaultMeta: { pid: process.pid },
  transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
});

export function setLogLevel(level: string): void {
  logger.level = level;
}

export type Logger = winston.Logger;
