import { SpanKind } from '@opentelemetry/api';
import * as semconv from '../semconv';
import type { SpanStart } from './conventions';
import type { AgentStepInfo, LlmCallInfo, TaskSpanInfo, ToolSpanInfo } from './span-info';

/**
 * The start attributes both tables give the same spans: the ones the GenAI conventions mark
 * sampling-relevant (to be set when the span is created), which v1.41 and v0.1.0 name alike.
 */

/** `server.address` and `server.port` of a remote endpoint, the port made explicit. */
export function serverAttributes(endpoint: URL | undefined): Record<string, unknown> {
  if (!endpoint) return {};
  const port = Number(endpoint.port) || (endpoint.protocol === 'https:' ? 443 : 80);
  return { [semconv.ATTR_SERVER_ADDRESS]: endpoint.hostname, [semconv.ATTR_SERVER_PORT]: port };
}

export const taskStartAttributes = (info: TaskSpanInfo): Record<string, unknown> => ({
  [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION_INVOKE_AGENT,
  [semconv.ATTR_GEN_AI_AGENT_NAME]: info.agentName,
  [semconv.ATTR_GEN_AI_REQUEST_MODEL]: info.requestModel,
});

export const inferenceStartAttributes = (info: LlmCallInfo): Record<string, unknown> => ({
  [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION_GENERATE_CONTENT,
  [semconv.ATTR_GEN_AI_PROVIDER_NAME]: info.providerName,
  [semconv.ATTR_GEN_AI_REQUEST_MODEL]: info.requestModel,
  ...serverAttributes(info.endpoint),
});

export const toolStartAttributes = (info: ToolSpanInfo): Record<string, unknown> => ({
  [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION_EXECUTE_TOOL,
  [semconv.ATTR_GEN_AI_TOOL_NAME]: info.toolName,
  [semconv.ATTR_GEN_AI_TOOL_TYPE]: semconv.GEN_AI_TOOL_TYPE_FUNCTION,
});

/** A step of the loop: ours in both tables (no convention has one). */
export const stepStart = (info: AgentStepInfo): SpanStart => ({
  name: semconv.spanNameForStep(info.stepType),
  kind: SpanKind.INTERNAL,
  attributes: {},
});
