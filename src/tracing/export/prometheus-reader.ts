import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { RateLimitedLog } from '../setup/exporter-log';
import { markPortUntraced, unmarkPortUntraced } from '../setup/untraced-ports';

interface Listener {
  host: string;
  port: number;
}

/** What to say when the listener cannot start: one line naming the variable to change. */
function listenFailureMessage(code: string | undefined, error: unknown, { host, port }: Listener) {
  if (code === 'EADDRINUSE')
    return `Metrics are not served: port ${port} is in use (another service, or another copy of this one); set OTEL_EXPORTER_PROMETHEUS_PORT to a free port, or OTEL_METRICS_EXPORTER=none`;
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return `Metrics are not served: cannot listen on ${host}:${port} (${reason}); set OTEL_EXPORTER_PROMETHEUS_HOST or OTEL_EXPORTER_PROMETHEUS_PORT, or OTEL_METRICS_EXPORTER=none`;
}

/**
 * The Prometheus pull endpoint, `http://<host>:<port>/metrics`, on a port of its own rather than
 * the service's: a scrape needs no API key, is not traced, and stays outside the API's connection
 * guard and admission.
 *
 * A port it cannot have is one warning line, not a failed start-up: metrics are a side channel, and
 * a service that refused to start over them would turn a monitoring gap into an outage (Prometheus
 * shows the target down). Started here rather than by the exporter, whose own report would be an
 * error-level line without a message, or a stack.
 */
export function createPrometheusReader(
  listener: Listener,
  log: RateLimitedLog,
): PrometheusExporter {
  // Scrapes are not the service's traffic: no server span, no http.server.request.duration.
  markPortUntraced(listener.port);
  const exporter = new PrometheusExporter({ ...listener, preventServerStart: true });
  exporter.startServer().catch((error: unknown) => {
    unmarkPortUntraced(listener.port);
    const { code } = error as NodeJS.ErrnoException;
    log.log('warn', 'prometheus-listen', listenFailureMessage(code, error, listener), {
      address: `${listener.host}:${listener.port}`,
    });
  });
  return exporter;
}
