import type { Logger } from 'pino';
import { LIMITS } from '../limits';

/**
 * A database that is down fails every request's operations on it: the log says `message` once per
 * interval, with how many failures it left out, instead of a line per request. One per use
 * (memory, feedback), so that each is told.
 */
export function databaseFailureLog(
  logger: Logger,
  message: string,
  { intervalMs = LIMITS.databaseFailureLogIntervalMs, now = Date.now } = {},
): (error: unknown, operation: string) => void {
  let lastLoggedAt = -Infinity;
  let suppressed = 0;
  return (error, operation) => {
    if (now() - lastLoggedAt < intervalMs) {
      suppressed += 1;
      return;
    }
    logger.warn({ err: error, operation, suppressedSinceLast: suppressed }, message);
    lastLoggedAt = now();
    suppressed = 0;
  };
}
