import express, { type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { httpLogSerializers } from './logger';
import { correlationId } from './http/correlation-id';
import { createErrorHandler, notFound } from './http/errors';
import { jsonBody } from './http/json-body';
import { limitRate, requireApiKey } from './http/security';
import { traceIdHeader } from './http/trace-id';
import { LIMITS } from './limits';
import { createApiDocsRouter } from './http/openapi/api-docs';
import type { ApiOperation } from './http/openapi/api-operation';
import { PROBE_OPERATIONS, probesRouter } from './http/probes';
import type { ReadinessCheck } from './http/readiness';
import { holdUntilStarted } from './http/startup-gate';
import { buildOpenApiDocument } from './http/openapi/openapi-document';

export interface AppOptions {
  logger: Logger;
  routers: Router[];
  /** True once the service shuts down: `/healthz` says 503 (`/readyz` has its own check). */
  isShuttingDown?: () => boolean;
  /** What `/readyz` checks (src/http/probes.ts); none: ready whenever it answers. */
  readinessChecks?: readonly ReadinessCheck[];
  /**
   * Start-up work the API's requests wait for, briefly, before they are served (the agent's MCP
   * tool list: src/http/startup-gate.ts); the probes never wait.
   */
  startup?: Promise<unknown>;
  /** When set, every route but the probes needs one of these keys. */
  apiKeys?: readonly string[];
  /** Requests a minute per client; 0 or undefined for no limit. */
  rateLimitPerMinute?: number;
  /** How long a body may take to arrive, else 408 (`LIMITS.bodyTimeoutMs`; tests shorten it). */
  bodyTimeoutMs?: number;
  /**
   * False: bodies are left to the routers (the MCP endpoint answers a malformed one with a JSON-RPC
   * error).
   */
  parseJson?: boolean;
  /**
   * Told of each failure answered with 5xx; by default each is logged at `error` (the services
   * limit a dependency's failures: src/compose/server-error-log.ts).
   */
  onServerError?: (error: unknown) => void;
  /**
   * The routes to describe at `/openapi.json` and `/docs` (with the probes); without it, neither is
   * served.
   */
  api?: { title: string; description?: string; operations: readonly ApiOperation[] };
}

/** The Express app, without listening: tests and the entry point decide where it runs. */
export function createApp({
  logger,
  routers,
  isShuttingDown = () => false,
  readinessChecks = [],
  startup,
  apiKeys = [],
  rateLimitPerMinute = 0,
  bodyTimeoutMs,
  parseJson = true,
  api,
  onServerError = (error) => logger.error({ err: error }, 'request failed'),
}: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet());
  // Before the request log: a probe every few seconds would bury the requests that matter.
  app.use(probesRouter({ checks: readinessChecks, isShuttingDown, logger }));
  // Every request at info, answered or failed: pino-http's default level.
  app.use(pinoHttp({ logger, serializers: httpLogSerializers }));
  app.use(traceIdHeader);
  app.use(correlationId);
  // Open like the probes: the document is how a client learns how to authenticate.
  if (api) app.use(createApiDocsRouter(documentOf(api, apiKeys, rateLimitPerMinute)));
  if (apiKeys.length) app.use(requireApiKey(apiKeys));
  if (rateLimitPerMinute > 0) app.use(limitRate(rateLimitPerMinute));
  // Any JSON value: a JSON string or number is then answered with what the body must be, not
  // "invalid JSON". A route that starts a run takes its run slot after this, once the body is valid.
  if (parseJson) app.use(jsonBody({ limitBytes: LIMITS.maxBodyBytes, timeoutMs: bodyTimeoutMs }));
  if (startup) app.use(holdUntilStarted(startup));
  for (const router of routers) app.use(router);
  app.use(notFound);
  app.use(createErrorHandler(onServerError));
  return app;
}

function documentOf(
  api: NonNullable<AppOptions['api']>,
  apiKeys: readonly string[],
  rateLimitPerMinute: number,
) {
  return buildOpenApiDocument({
    ...api,
    operations: [...PROBE_OPERATIONS, ...api.operations],
    requiresKeys: apiKeys.length > 0,
    rateLimited: rateLimitPerMinute > 0,
  });
}
