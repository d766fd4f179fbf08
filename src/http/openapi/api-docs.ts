import { Router, type RequestHandler } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { methodNotAllowed } from '../errors';
import type { OpenApiDocument } from './openapi-document';

const OPENAPI_PATH = '/openapi.json';
const DOCS_PATH = '/docs';

const GET_ONLY = methodNotAllowed(['GET']);

const getOnly: RequestHandler = (request, response, next) =>
  request.method === 'GET' || request.method === 'HEAD'
    ? next()
    : GET_ONLY(request, response, next);

/**
 * The page loads its assets relative to itself (`./swagger-ui.css`): from `/docs` they would be
 * looked for at the root, so `/docs` is sent to `/docs/`.
 */
const withTrailingSlash: RequestHandler = (request, response, next) => {
  if (request.originalUrl === DOCS_PATH) return response.redirect(301, `${DOCS_PATH}/`);
  next();
};

/**
 * The app's policy, but for `upgrade-insecure-requests`: the service speaks plain HTTP (TLS, where
 * there is some, ends at a proxy in front, and the page is then HTTPS anyway), so on a plain-HTTP
 * host name other than localhost, a browser would ask for the page's assets and for "Try it out"
 * over HTTPS, where nothing answers. Scripts stay `'self'` only.
 */
const docsPolicy = helmet.contentSecurityPolicy({ directives: { upgradeInsecureRequests: null } });

/**
 * `GET /openapi.json`, the document, and `GET /docs/`, Swagger UI on it. The UI's assets come from
 * the `swagger-ui-dist` package, never from a CDN, so the page works offline; the validator badge,
 * which would call validator.swagger.io, is off.
 */
export function createApiDocsRouter(document: OpenApiDocument): Router {
  const options = { swaggerOptions: { validatorUrl: null } };
  const router = Router();
  router
    .route(OPENAPI_PATH)
    .get((_request, response) => void response.json(document))
    .all(GET_ONLY);
  router.use(
    DOCS_PATH,
    getOnly,
    docsPolicy,
    withTrailingSlash,
    ...swaggerUi.serveFiles(document, options),
    swaggerUi.setup(document, options),
  );
  return router;
}
