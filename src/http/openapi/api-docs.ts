import { Router, type RequestHandler } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { markPathsUntraced } from '../../tracing/setup/untraced-paths';
import { HttpError, methodNotAllowed } from '../errors';
import type { OpenApiDocument } from './openapi-document';

const OPENAPI_PATH = '/openapi.json';
const DOCS_PATH = '/docs';

/**
 * What the page loads (relative to `/docs/`), and nothing else of `swagger-ui-dist`: the package
 * also holds its demo page, source maps and Node files, and swagger-ui-express would answer any
 * other path under `/docs` with the page itself (200), or a path ending in `/package.json` with a
 * plain-text 404 of its own.
 */
const PAGE = '/';
const PAGE_ASSETS: ReadonlySet<string> = new Set([
  PAGE,
  '/swagger-ui-init.js',
  '/swagger-ui.css',
  '/swagger-ui-bundle.js',
  '/swagger-ui-standalone-preset.js',
  '/favicon-32x32.png',
  '/favicon-16x16.png',
]);

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

/** Compared as sent, before any decoding: `/docs/%2e%2e/x` is no asset, whatever it decodes to. */
const pageAssetsOnly: RequestHandler = (request, _response, next) => {
  if (PAGE_ASSETS.has(request.path)) return next();
  next(new HttpError('not_found', `No such page or asset under ${DOCS_PATH}/.`));
};

/**
 * The assets are whole files answered in full: a `Range` or an `If-Match` would make the static
 * server answer 416 or 412 in its own words, outside the JSON error contract. A server may ignore
 * `Range` (RFC 9110 §14.2), and the app's other answers ignore both already (Express's `send`).
 */
const wholeFilesOnly: RequestHandler = (request, _response, next) => {
  for (const header of ['range', 'if-range', 'if-match', 'if-unmodified-since'])
    delete request.headers[header];
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
 * which would call validator.swagger.io, is off. Their successful answers are not traced (they are
 * not the API); every error is, and is JSON like any other.
 */
export function createApiDocsRouter(document: OpenApiDocument): Router {
  const options = { swaggerOptions: { validatorUrl: null } };
  const page = swaggerUi.setup(document, options);
  markPathsUntraced([
    OPENAPI_PATH,
    DOCS_PATH,
    ...[...PAGE_ASSETS].map((asset) => `${DOCS_PATH}${asset}`),
  ]);
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
    pageAssetsOnly,
    (request, response, next) => (request.path === PAGE ? page(request, response, next) : next()),
    wholeFilesOnly,
    ...swaggerUi.serveFiles(document, options),
    // An asset of the list that the installed package lacks.
    (request, _response, next) =>
      next(
        new HttpError('not_found', `${DOCS_PATH}${request.path} is missing from swagger-ui-dist.`),
      ),
  );
  return router;
}
