import { pino, type Level, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { Writable } from 'node:stream';
import { LogOutlet } from './log-outlet.js';

export const LOG_LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

export interface ServerLog {
  logger: Logger;
  /** Where the lines go; flush it before exiting. */
  outlet: LogOutlet;
}

/**
 * One structured line per event to `out`: JSON for log collectors, or readable text when a person is
 * watching. Writing never waits: lines that `out` does not take in time are dropped, and counted in a
 * `log-dropped` line once it takes lines again.
 */
export function createLogger(level: Level | 'silent', humanReadable: boolean, out: Writable): ServerLog {
  const format = humanReadable
    ? prettyFactory({ colorize: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' })
    : undefined;
  const outlet = new LogOutlet(out, format, undefined, (lines) => logger.warn({ event: 'log-dropped', lines }));
  const logger = pino({ level, base: undefined }, outlet);
  return { logger, outlet };
}
