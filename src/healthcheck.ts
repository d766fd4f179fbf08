/**
 * The container health check: `node dist/healthcheck.js`. The image has Node but no curl or wget,
 * and this asks the service itself, on the port it was given. It asks `/readyz` (it asked
 * `/healthz`, which says 200 before the agent's MCP tools are loaded): what compose's
 * `depends_on: service_healthy` waits for is a service ready to serve (docs/serving-probes.md).
 */
const port = process.env.PORT ?? '8080';

fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2_000) })
  .then((response) => process.exit(response.ok ? 0 : 1))
  .catch(() => process.exit(1));
