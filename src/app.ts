import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { correlationId } from './http/correlation-id';
import { createErrorHandler, notFound } from './http/errors';
import { traceIdHeader } from './http/trace-id';

export const BODY_LIMIT = '64kb';

export interface AppOptions {
  logger: Logger;
  routers: Router[];
  /** False until the service can answer: `/healthz` says 503 meanwhile. */
  isReady?: () => boolean;
}

/** The Express app, without listening: tests and the entry point decide where it runs. */
export function createApp({ logger, routers, isReady = () => true }: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_request, response) => {
    if (isReady()) response.json({ status: 'ok' });
    else response.status(503).json({ error: { code: 'not_ready', message: 'The service is starting.' } });
  });
  app.use(pinoHttp({ logger, autoLogging: { ignore: (request) => request.url === '/healthz' } }));
  app.use(traceIdHeader);
  app.use(correlationId);
  app.use(express.json({ limit: BODY_LIMIT }));
  for (const router of routers) app.use(router);
  app.use(notFound);
  app.use(createErrorHandler((error) => logger.error({ err: error }, 'request failed')));
  return app;
}
