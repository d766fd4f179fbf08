import { IncomingMessage } from 'node:http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { linkUntrustedParent } from '../propagation/caller-trust';
import { writeLogLine } from './exporter-log';
import type { InstrumentationName } from './tracing-config';
import { isRequestUntraced } from './untraced-paths';
import { isPortUntraced } from './untraced-ports';

/**
 * Probes (`/livez`, `/readyz`, `/healthz`) run every few seconds: tracing them would bury the
 * traces that matter. The API's description and its docs page are not the API either. Both mark
 * their paths (src/tracing/setup/untraced-paths.ts).
 */
function isIgnoredIncomingRequest(request: IncomingMessage): boolean {
  return isPortUntraced(request.socket.localPort) || isRequestUntraced(request);
}

/**
 * What a web service needs, one package each, by the short names of `OTEL_NODE_*_INSTRUMENTATIONS`.
 * Not `@opentelemetry/auto-instrumentations-node`: its 0.82 (the OpenTelemetry JS 3 line) depends
 * on `sdk-node` 0.300 and so on a second `@opentelemetry/core`, and loading it loads some forty
 * packages the service never enables. With Express 5 the router instrumentation would duplicate
 * every middleware span, and net, dns and fs only add noise.
 */
const FACTORIES = {
  http: () =>
    new HttpInstrumentation({
      ignoreIncomingRequestHook: isIgnoredIncomingRequest,
      // Called as the server span starts, in the context the propagator extracted; also for
      // outgoing requests, whose context inherits that value: only the server span gets the link.
      requestHook: (span, request) => {
        if (request instanceof IncomingMessage) linkUntrustedParent(span);
      },
    }),
  // Express still names the server span after the route and sets `http.route`; its per-middleware
  // spans are dropped, so the agent's spans sit directly under the request, as in the workshop's
  // tree.
  express: () =>
    new ExpressInstrumentation({
      ignoreLayersType: [
        ExpressLayerType.MIDDLEWARE,
        ExpressLayerType.ROUTER,
        ExpressLayerType.REQUEST_HANDLER,
      ],
    }),
  undici: () => new UndiciInstrumentation(),
  // Trace ids in log lines; log records are not sent over OTLP (no logs pipeline here).
  pino: () => new PinoInstrumentation({ disableLogSending: true }),
  // Database spans only inside a request's trace (not for the pool's own housekeeping), with the
  // statement's parameterized text and never its values: those are users' words.
  pg: () => new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
} satisfies Record<InstrumentationName, () => unknown>;

const isShipped = (name: string): name is InstrumentationName => Object.hasOwn(FACTORIES, name);

/**
 * The instrumentations `enabled` names; a name the service does not ship (`router`, `fs`, ... of
 * the bundle) is ignored with a warning, as the bundle ignores a name it does not know.
 */
export function createInstrumentations(enabled: readonly string[]) {
  const unknown = enabled.filter((name) => !isShipped(name));
  if (unknown.length)
    writeLogLine('warn', 'Unknown instrumentation in OTEL_NODE_ENABLED_INSTRUMENTATIONS: ignored', {
      unknown,
      supported: Object.keys(FACTORIES),
    });
  return enabled.filter(isShipped).map((name) => FACTORIES[name]());
}
