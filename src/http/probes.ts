import { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { markPathsUntraced } from '../tracing/setup/untraced-paths';
import { errorBody, HttpError, methodNotAllowed, sendError } from './errors';
import type { ApiOperation } from './openapi/api-operation';
import { checkResultSchema, runChecks, type CheckResult, type ReadinessCheck } from './readiness';

const LIVEZ = '/livez';
const READYZ = '/readyz';
const HEALTHZ = '/healthz';

/** The probes' paths: not traced, not in the request log, open without a key. */
const PROBE_PATHS: readonly string[] = [LIVEZ, READYZ, HEALTHZ];

const okSchema = z.object({ status: z.literal('ok') }).strict();
const checksSchema = z.array(checkResultSchema);
const readySchema = z.object({ status: z.literal('ready'), checks: checksSchema }).strict();

const OPEN = 'Not traced, not logged; open even when API keys are configured.';

/** The probes as `/openapi.json` describes them, from the schemas they answer with. */
export const PROBE_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: LIVEZ,
    operationId: 'liveness',
    summary: 'Is the process alive?',
    description: `200 as long as the process answers, shutdown included: it depends on nothing else, so that no outage of a dependency ever gets the service restarted (a Kubernetes liveness probe). ${OPEN}`,
    response: okSchema,
    errors: [],
    public: true,
  },
  {
    method: 'get',
    path: READYZ,
    operationId: 'readiness',
    summary: 'Is the service ready to serve?',
    description: `200 when every check passes; else 503 \`not_ready\` with every check, the failing ones with their reason (a Kubernetes readiness probe, a load balancer's health check). A dependency is asked at most once a second, and fails when it has not answered within half a second. ${OPEN}`,
    response: readySchema,
    errors: ['not_ready'],
    errorDetails: { checks: checksSchema },
    public: true,
  },
  {
    method: 'get',
    path: HEALTHZ,
    operationId: 'health',
    summary: 'Is the service listening? (kept as it was: prefer /livez and /readyz)',
    description: `200 once the service listens, 503 \`not_ready\` once it shuts down, as before /livez and /readyz existed: it checks no dependency, so it may say 200 before the service is ready. ${OPEN}`,
    response: okSchema,
    errors: ['not_ready'],
    public: true,
  },
];

export interface ProbeOptions {
  /** What `/readyz` checks. */
  checks: readonly ReadinessCheck[];
  /** True once shutdown has begun: `/healthz` says 503. */
  isShuttingDown: () => boolean;
  /** Told when readiness changes, with the failing checks. */
  logger: Pick<Logger, 'info'>;
}

const GET_ONLY = methodNotAllowed(['GET']);

/** `GET /livez`, `GET /readyz` and `GET /healthz`. */
export function probesRouter({ checks, isShuttingDown, logger }: ProbeOptions): Router {
  markPathsUntraced(PROBE_PATHS);
  const router = Router();
  let failingBefore = '';
  const tellChange = (failing: CheckResult[]) => {
    const names = failing.map(({ name }) => name).join(', ');
    if (names === failingBefore) return;
    failingBefore = names;
    if (failing.length) logger.info({ failing }, `Not ready: ${names}`);
    else logger.info('Ready');
  };
  router
    .route(LIVEZ)
    .get((_request, response) => void response.json({ status: 'ok' }))
    .all(GET_ONLY);
  router
    .route(READYZ)
    .get(async (_request, response) => {
      const results = await runChecks(checks);
      const failing = results.filter(({ status }) => status === 'fail');
      tellChange(failing);
      if (!failing.length) return void response.json({ status: 'ready', checks: results });
      const notReady = new HttpError(
        'not_ready',
        `Not ready: ${failing.map(({ name }) => name).join(', ')}. The checks say why.`,
      );
      response.status(notReady.status).json({ ...errorBody(notReady), checks: results });
    })
    .all(GET_ONLY);
  router
    .route(HEALTHZ)
    .get((_request, response) => {
      if (!isShuttingDown()) return void response.json({ status: 'ok' });
      sendError(response, new HttpError('not_ready', 'The service is shutting down.'));
    })
    .all(GET_ONLY);
  return router;
}
