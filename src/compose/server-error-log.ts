import type { Logger } from 'pino';
import { toHttpError } from '../http/errors';
import { failureLog } from './failure-log';

/**
 * How a service logs the failures it answers with 5xx. A bug (`internal_error`) is logged every
 * time, with its stack. A dependency's failure (the model, the sub-agent) or a run cut by a
 * deadline is limited like the database's, once a minute for each kind: a model that is down fails
 * every run, and each of those is on its spans and its request log line already. Before, each was
 * an error line with a stack: a minute of a sub-agent outage on four connections, about 13,000.
 */
export function serverErrorLog(logger: Logger): (error: unknown) => void {
  const dependencyFailures = failureLog(logger, 'request failed', { level: 'error' });
  return (error) => {
    const { code } = toHttpError(error);
    if (code === 'internal_error') logger.error({ err: error }, 'request failed');
    else dependencyFailures(error, code);
  };
}
