import { Router, type RequestHandler } from 'express';
import { methodNotAllowed } from '../errors';
import type { ApiOperation } from '../openapi/api-operation';
import { requestContext, type UserOf } from '../request-context';

/**
 * One route of a service, in one file: how the OpenAPI document describes it (its method and path
 * are also where it is served), whose request it is, and its handler, built from what the service
 * gives its routes (`Needs`: only what this route uses).
 */
export interface Route<Needs> {
  operation: ApiOperation;
  /** Where the request names its user, for its trace (see `requestContext`). */
  userOf?: UserOf;
  handler: (needs: Needs) => RequestHandler;
}

/**
 * A service's routes, served: each inside its request context, and any other method on its path
 * answered 405 with the methods it takes.
 */
export function routerOf<Needs>(routes: readonly Route<Needs>[], needs: Needs): Router {
  const router = Router();
  const paths = new Set(routes.map(({ operation }) => operation.path));
  for (const path of paths) {
    const onPath = routes.filter(({ operation }) => operation.path === path);
    const route = router.route(path);
    for (const { operation, userOf, handler } of onPath)
      route[operation.method](requestContext(userOf), handler(needs));
    route.all(methodNotAllowed(onPath.map(({ operation }) => operation.method.toUpperCase())));
  }
  return router;
}

/** The same routes as `/openapi.json` and `/docs` describe them: a route served is documented. */
export const operationsOf = <Needs>(routes: readonly Route<Needs>[]): ApiOperation[] =>
  routes.map(({ operation }) => operation);
