/**
 * What tells the three services apart when nothing is configured: their name, port and agent name.
 */
export interface ServiceDefaults {
  serviceName: string;
  port: number;
  agentName: string;
}

export const AGENT_SERVICE_DEFAULTS: ServiceDefaults = {
  serviceName: 'agent-service',
  port: 8080,
  agentName: 'traced-agent',
};
export const SUB_AGENT_SERVICE_DEFAULTS: ServiceDefaults = {
  serviceName: 'sub-agent-service',
  port: 8081,
  agentName: 'traced-sub-agent',
};
export const TOOL_SERVICE_DEFAULTS: ServiceDefaults = {
  serviceName: 'tool-service',
  port: 8082,
  agentName: 'tool-service',
};
