import type { IncomingMessage } from 'node:http';

/**
 * Paths whose successful `GET` and `HEAD` are not traced: the API's description and its docs page
 * (a dozen static assets) are not the API. Exact paths, compared as sent (query aside): anything
 * else, an unknown asset or `/docs/../x`, is traced, so that its error answer names its trace like
 * every other. A module-level set, like the untraced ports: the SDK's ignore hook is made by the
 * `--require` preload, before the application marks its paths.
 */
const untracedPaths = new Set<string>();

export function markPathsUntraced(paths: Iterable<string>): void {
  for (const path of paths) untracedPaths.add(path);
}

/** A request with a body is traced: the server's edge refuses a large one (413) before any route. */
export function isRequestUntraced({ method, url = '', headers }: IncomingMessage): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding']) return false;
  const query = url.indexOf('?');
  return untracedPaths.has(query < 0 ? url : url.slice(0, query));
}
