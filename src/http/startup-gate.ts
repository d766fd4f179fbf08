import type { RequestHandler } from 'express';
import { LIMITS } from '../limits';
import { HttpError } from './errors';

const RETRY_AFTER_SECONDS = 1;

/**
 * Holds the requests that arrive before `started` settles (the agent's MCP tool list: a run that
 * started without it would tell the model those tools do not exist), at most `waitMs` each, then
 * answers them 503 not_ready with Retry-After. Once it has settled, it costs a boolean. It settles
 * whether the work succeeded or not: a tool service that is down is the readiness probe's to say,
 * and the runs go on without its tools, as before.
 */
export function holdUntilStarted(
  started: Promise<unknown>,
  waitMs: number = LIMITS.startupWaitMs,
): RequestHandler {
  let settled = false;
  const settledOrWaited = started.then(
    () => (settled = true),
    () => (settled = true),
  );
  const notReady = new HttpError(
    'not_ready',
    `The service is still starting (its tools are not loaded yet). Retry after ${RETRY_AFTER_SECONDS} s.`,
    { 'Retry-After': String(RETRY_AFTER_SECONDS) },
  );
  return (_request, _response, next) => {
    if (settled) return next();
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, waitMs, false)));
    void Promise.race([settledOrWaited, waited]).then((done) => {
      clearTimeout(timer);
      next(done ? undefined : notReady);
    });
  };
}
