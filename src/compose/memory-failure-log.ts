import type { Logger } from 'pino';
import { LIMITS } from '../limits';

/**
 * A database that is down fails every run's memory operations: the log says so once per interval,
 * with how many failures it left out, instead of a line per request.
 */
export function memoryFailureLog(
  logger: Logger,
  { intervalMs = LIMITS.memoryFailureLogIntervalMs, now = Date.now } = {},
): (error: unknown, operation: string) => void {
  let lastLoggedAt = -Infinity;
  let suppressed = 0;
  return (error, operation) => {
    if (now() - lastLoggedAt < intervalMs) {
      suppressed += 1;
      return;
    }
    logger.warn(
      { err: error, operation, suppressedSinceLast: suppressed },
      'Memory is unavailable: runs go on without it',
    );
    lastLoggedAt = now();
    suppressed = 0;
  };
}
