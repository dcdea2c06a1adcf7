import { pino, type Level, type Logger } from 'pino';
import pretty from 'pino-pretty';

export const LOG_LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** One structured line per event: JSON for log collectors, or readable text when a person is watching. */
export function createLogger(level: Level | 'silent', humanReadable: boolean): Logger {
  const options = { level, base: undefined };
  if (!humanReadable) return pino(options);
  return pino(options, pretty({ colorize: true, sync: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' }));
}
