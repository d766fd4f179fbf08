/**
 * Where every service listens unless `HOST` says otherwise, and so its metrics too: every interface,
 * because a container's published port reaches nothing else. For local use, `HOST=127.0.0.1`.
 */
export const DEFAULT_HOST = '0.0.0.0';

/**
 * What tells the three services apart when nothing is configured: their name, port and agent name.
 */
export interface ServiceDefaults {
  serviceName: string;
  port: number;
  agentName: string;
  /**
   * Where the Prometheus exporter listens unless `OTEL_EXPORTER_PROMETHEUS_PORT` says otherwise: one
   * port per service (9464 is the exporter's standard port), so all three can run on one machine.
   */
  prometheusPort: number;
}

export const AGENT_SERVICE_DEFAULTS: ServiceDefaults = {
  serviceName: 'agent-service',
  port: 8080,
  agentName: 'traced-agent',
  prometheusPort: 9464,
};
export const SUB_AGENT_SERVICE_DEFAULTS: ServiceDefaults = {
  serviceName: 'sub-agent-service',
  port: 8081,
  agentName: 'traced-sub-agent',
  prometheusPort: 9465,
};
export const TOOL_SERVICE_DEFAULTS: ServiceDefaults = {
  serviceName: 'tool-service',
  port: 8082,
  agentName: 'tool-service',
  prometheusPort: 9466,
};
