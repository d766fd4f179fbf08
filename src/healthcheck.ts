/**
 * The container health check: `node dist/healthcheck.js`. The image has Node but no curl or wget,
 * and this asks the service itself, on the port it was given.
 */
const port = process.env.PORT ?? '8080';

fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) })
  .then((response) => process.exit(response.ok ? 0 : 1))
  .catch(() => process.exit(1));
